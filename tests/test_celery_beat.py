"""celery beat keeps its state file under var/ (ignored by git), not in the checkout's top level."""

from cashloan.celery import BeatScheduler
from cashloan.celery import app as celery_app


def test_beat_state_goes_under_var(settings):
    assert celery_app.conf.beat_scheduler == "cashloan.celery:BeatScheduler"
    assert celery_app.conf.beat_schedule_filename == str(settings.BASE_DIR / "var" / "celerybeat-schedule")


def test_the_scheduler_makes_its_directory(tmp_path):
    state = tmp_path / "var" / "celerybeat-schedule"
    scheduler = BeatScheduler(app=celery_app, schedule_filename=str(state), lazy=False)
    assert "requeue-stale-sms" in scheduler.schedule
    scheduler.close()
    assert list((tmp_path / "var").iterdir()) and not list(tmp_path.glob("celerybeat-schedule*"))
