"""The Celery app's own task class: what a message shows of its arguments."""

from config.celery_app import LISTED_IDS, Task, arguments_repr


def test_a_few_arguments_show_as_their_repr():
    assert arguments_repr((["6f1c0e9a-0000-4000-8000-000000000001"],)) == "(['6f1c0e9a-0000-4000-8000-000000000001'],)"
    assert arguments_repr(("job", 3)) == "('job', 3)"


def test_a_long_list_of_ids_shows_as_how_many():
    chunk = [f"id-{n}" for n in range(500)]

    assert arguments_repr((chunk,)) == "(<500 ids>,)"
    assert arguments_repr((chunk[:LISTED_IDS],)) == repr((chunk[:LISTED_IDS],))


def test_every_task_of_the_app_uses_it():
    from assets.tasks import autotag_assets, make_thumbnails, run_job

    for task in (autotag_assets, make_thumbnails, run_job):
        assert isinstance(task._get_current_object(), Task)
