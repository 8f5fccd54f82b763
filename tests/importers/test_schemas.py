"""The ECS field lists match the AWS API as the installed botocore describes it."""

import botocore.session
import pytest

from importers.schemas import (
    ECS_CONTAINER_DEFINITION_FIELDS,
    ECS_SCALABLE_TARGET_FIELDS,
    ECS_SERVICE_FIELDS,
    ECS_TASK_DEFINITION_FIELDS,
)

SESSION = botocore.session.get_session()


@pytest.mark.parametrize(("service", "shapes", "known"), [
    ("ecs", ["TaskDefinition", "RegisterTaskDefinitionRequest"], ECS_TASK_DEFINITION_FIELDS),
    ("ecs", ["ContainerDefinition"], ECS_CONTAINER_DEFINITION_FIELDS),
    ("ecs", ["Service", "CreateServiceRequest"], ECS_SERVICE_FIELDS),
    ("application-autoscaling", ["ScalableTarget", "RegisterScalableTargetRequest"], ECS_SCALABLE_TARGET_FIELDS),
])
def test_every_api_field_is_known(service, shapes, known):
    """A field AWS added since the list was taken would be reported as unknown: update the list."""
    model = SESSION.get_service_model(service)
    members = set().union(*(model.shape_for(s).members for s in shapes))
    assert members <= known, f"missing from importers.schemas: {sorted(members - known)}"
