import pytest
from assets.tests.factories import AssetFactory

@pytest.mark.django_db
def test_id_fragment_across_hyphen(api):
    asset = AssetFactory(owner=api.user)
    fragment = str(asset.pk)[4:14].replace("-", "")
    r = api.get("/api/v1/assets/", {"id": fragment})
    assert r.status_code == 200
    assert [a["id"] for a in r.json()["results"]] == [str(asset.pk)]
