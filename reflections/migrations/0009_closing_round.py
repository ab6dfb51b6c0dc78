"""The ten-step method's last step is the closing round, not "Evaluation".

"Evaluation" was confused with the anonymous evaluation each participant
answers after the session. Methods keep the language they were seeded in, so
the step is renamed in whichever of the three languages it carries: in the
built-in method, in copies adapted from it, and in sessions still open.
Signed-off records keep the name they were held under.
"""

from django.db import migrations

# The last step's title and guidance as seeded, and what they become.
TITLES = {
    "Evaluation": "Closing round",
    "Utvärdering": "Avslutande runda",
    "Evaluering": "Afsluttende runde",
}
GUIDANCE = {
    "How did we talk together? What did we learn about our work?": (
        "How did we talk together? What did we learn about our work? "
        "(The anonymous evaluation comes after the session.)"
    ),
    "Hur samtalade vi med varandra? Vad lärde vi oss om vårt arbete?": (
        "Hur samtalade vi med varandra? Vad lärde vi oss om vårt arbete? "
        "(Den anonyma utvärderingen kommer efter samtalet.)"
    ),
    "Hvordan talte vi sammen? Hvad lærte vi om vores arbejde?": (
        "Hvordan talte vi sammen? Hvad lærte vi om vores arbejde? "
        "(Den anonyme evaluering kommer efter mødet.)"
    ),
}
KEY = "dilemma-method"


def _rename(apps, titles, guidance):
    MethodStep = apps.get_model("reflections", "MethodStep")
    ReflectionStep = apps.get_model("reflections", "ReflectionStep")
    for field, changes in (("title", titles), ("guidance", guidance)):
        for old, new in changes.items():
            for path in ("method__key", "method__copied_from__key"):
                MethodStep.objects.filter(**{field: old, path: KEY}).update(
                    **{field: new}
                )
                ReflectionStep.objects.filter(
                    **{field: old, f"reflection__{path}": KEY},
                    reflection__status="open",
                ).update(**{field: new})


def forwards(apps, schema_editor):
    _rename(apps, TITLES, GUIDANCE)


def backwards(apps, schema_editor):
    _rename(
        apps,
        {new: old for old, new in TITLES.items()},
        {new: old for old, new in GUIDANCE.items()},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reflections", "0008_session_plan_and_pause"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
