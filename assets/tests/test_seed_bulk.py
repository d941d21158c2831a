"""manage.py seed_bulk: the benchmarks' library, usages included."""

import pytest
from django.core.management import call_command
from django.db.models import Sum

from analytics import rollups
from analytics.models import OwnerTotals
from assets.models import Asset, AssetUsage


def test_a_bulk_library_with_a_third_of_it_used(transactional_db):
    call_command("seed_bulk", assets=600, owners=3, batch=250, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Asset.objects.count() == 600
    used = Asset.objects.filter(usage_count__gt=0)
    assert 0.2 < used.count() / 600 < 0.4
    assert AssetUsage.objects.count() == Asset.objects.aggregate(n=Sum("usage_count"))["n"]
    assert not AssetUsage.objects.exclude(asset__usage_count__gt=0).exists()
    assert set(AssetUsage.objects.values_list("owner_id", flat=True)) <= set(
        Asset.objects.values_list("owner_id", flat=True))
    if rollups.rollups_kept():  # the triggers counted them as they went in
        assert OwnerTotals.objects.aggregate(n=Sum("used"))["n"] == used.filter(deleted_at__isnull=True).count()


@pytest.mark.parametrize("value", [0, -1])
def test_nothing_to_seed_is_refused(db, value):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("seed_bulk", assets=value, owners=1)
