import pytest

from corpus.registry import Registry, UnknownNameError


def test_unknown_name_fails_listing_the_known_ones():
    registry: Registry[int] = Registry("widget")
    registry.add("a_v1")(1)
    registry.add("b_v1")(2)
    with pytest.raises(UnknownNameError, match=r"unknown widget 'c_v1'; known: a_v1, b_v1"):
        registry.get("c_v1")


def test_a_name_cannot_be_registered_twice():
    registry: Registry[int] = Registry("widget")
    registry.add("a_v1")(1)
    with pytest.raises(ValueError, match="already registered"):
        registry.add("a_v1")(2)
