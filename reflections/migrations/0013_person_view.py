"""Built-in methods start from the person's own view.

Each built-in method's perspectives step (the dilemma method's fourth, the
five-step model's third, the four principles' second) now starts from the
person's own view, and the step that concludes asks how the agreed actions were,
or will be, discussed with the person. Organisations hold their own copies of
the built-in methods (Method.objects.seeded_for), so the copies are brought up
to date here, but only where the organisation has not adapted them: a copy with
the shipped number of steps, and a step whose guidance is still the shipped
text in the organisation's language. A step the organisation rewrote is left as
it is; its editors can mark it themselves ("starts from the person's own view").
Reflections already held keep their steps as they were.
"""

from django.db import migrations, models
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

# Per built-in method: its number of steps as shipped, the step that starts
# from the person's view, and for each step changed, its guidance before and
# after (English source texts, translated through the catalogues).
CHANGES = {
    "dilemma-method": (
        10,
        4,
        {
            4: (
                gettext_noop(
                    "For each party involved: which values are at stake for "
                    "them, and what norm follows (we should ...)?"
                ),
                gettext_noop(
                    "Start with the person the case is about: what do they want, "
                    "in their own words, and what do their relatives or "
                    "representative say? Whose voice is missing? Then, for each "
                    "other party involved: which values are at stake for them, "
                    "and what norm follows (we should ...)?"
                ),
            ),
            8: (
                gettext_noop(
                    "What does the group conclude? Where does it still "
                    "disagree, and why?"
                ),
                gettext_noop(
                    "What does the group conclude? Where does it still "
                    "disagree, and why? How will the person hear what we "
                    "concluded and what we will do: who talks with them, and "
                    "when?"
                ),
            ),
        },
    ),
    "five-step-model": (
        5,
        3,
        {
            3: (
                gettext_noop("Who is affected, and what matters to each of them?"),
                gettext_noop(
                    "Start with the person: what do they want, in their own "
                    "words? Whose voice is missing? Then: who else is affected, "
                    "and what matters to each of them?"
                ),
            ),
            5: (
                gettext_noop("What do we advise, and what will we do?"),
                gettext_noop(
                    "What do we advise, and what will we do? How were these "
                    "actions discussed with the person, or who will discuss "
                    "them with them, and when?"
                ),
            ),
        },
    ),
    "four-principles": (
        7,
        2,
        {
            2: (
                gettext_noop(
                    "How is the person's right to decide over their own life "
                    "respected? What do they want?"
                ),
                gettext_noop(
                    "Start from the person's own view: what do they want, in "
                    "their own words, and whose voice is missing? How is their "
                    "right to decide over their own life respected?"
                ),
            ),
            7: (
                gettext_noop("What does the group agree, and who does what by when?"),
                gettext_noop(
                    "What does the group agree, and who does what by when? How "
                    "were the actions discussed with the person, or who will "
                    "discuss them with them, and when?"
                ),
            ),
        },
    ),
}


def start_from_the_person(apps, schema_editor):
    Method = apps.get_model("reflections", "Method")
    MethodStep = apps.get_model("reflections", "MethodStep")
    methods = Method.objects.filter(key__in=CHANGES).select_related("organisation")
    for method in methods:
        count, person_step, changes = CHANGES[method.key]
        steps = {step.position: step for step in MethodStep.objects.filter(method=method)}
        if len(steps) != count or set(steps) != set(range(1, count + 1)):
            continue  # Adapted by the organisation: left to its editors.
        with translation.override(method.organisation.language):
            for position, (before, after) in changes.items():
                step = steps[position]
                if step.guidance != gettext(before):
                    continue
                step.guidance = gettext(after)
                step.person_view = position == person_step
                step.save(update_fields=["guidance", "person_view"])


class Migration(migrations.Migration):

    dependencies = [
        ('reflections', '0012_practice_sessions'),
        ('organisations', '0010_public_value_base'),
    ]

    operations = [
        migrations.AddField(
            model_name='methodstep',
            name='person_view',
            field=models.BooleanField(default=False, help_text="The step shows what the person, their relatives or network and their representative want, as the case records it, and asks whose voice is missing, before the professionals' perspectives.", verbose_name="starts from the person's own view"),
        ),
        migrations.AddField(
            model_name='reflectionstep',
            name='person_view',
            field=models.BooleanField(default=False, verbose_name="starts from the person's own view"),
        ),
        migrations.RunPython(start_from_the_person, migrations.RunPython.noop),
    ]
