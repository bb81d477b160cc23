import gc

import pytest

from emulation.bulk import cyclic_gc_paused


@pytest.fixture
def gc_state():
    enabled = gc.isenabled()
    yield
    gc.enable() if enabled else gc.disable()


def test_the_collector_is_paused_inside_and_resumes_after(gc_state):
    gc.enable()
    with cyclic_gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_it_resumes_after_an_error(gc_state):
    gc.enable()
    with pytest.raises(ValueError), cyclic_gc_paused():
        raise ValueError
    assert gc.isenabled()


def test_a_collector_the_caller_had_off_stays_off(gc_state):
    gc.disable()
    with cyclic_gc_paused():
        pass
    assert not gc.isenabled()
