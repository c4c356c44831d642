"""The reference validator (frictionless-py, a test dependency only) accepts the shipped data package."""
import pytest

from kb.package import DESCRIPTOR, LIST_FOREIGN_KEYS, default_data_dir

frictionless = pytest.importorskip("frictionless")


def test_the_reference_validator_accepts_the_data_package():
    report = frictionless.validate(str(default_data_dir() / DESCRIPTOR))
    errors = [f"{task.name}: {error.message}" for task in report.tasks for error in task.errors] + [
        error.message for error in report.errors]
    assert report.valid, "\n".join(errors)
    assert len(report.tasks) == 12  # 11 tables and the basemap


def test_the_reference_validator_sees_a_broken_standard_key(data_dir):
    """It checks something: a scalar foreign key to a missing id fails it."""
    from conftest import set_cell

    set_cell(data_dir / "deadlines.csv", 2, "place_id", "atlantis")
    report = frictionless.validate(str(data_dir / DESCRIPTOR))
    assert not report.valid
    assert any(error.type == "foreign-key" for task in report.tasks for error in task.errors)


def test_list_references_are_declared_apart_from_foreign_keys():
    """Every list-valued reference is in the custom property, so frictionless never meets one it cannot hash."""
    import json

    package = json.loads((default_data_dir() / DESCRIPTOR).read_text(encoding="utf-8"))
    for resource in filter(lambda r: "schema" in r, package["resources"]):
        kinds = {f["name"]: f.get("type", "string") for f in resource["schema"]["fields"]}
        assert all(kinds[fk["fields"][0]] != "list" for fk in resource["schema"].get("foreignKeys", []))
        assert all(kinds[fk["fields"][0]] == "list" for fk in resource["schema"].get(LIST_FOREIGN_KEYS, []))
