"""Follow-ups: which clauses commit someone to something, by when, and who."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from minutes.parsing import FollowUp, parse_bytes, parse_text

SAMPLES = Path(__file__).resolve().parents[3] / "minutes" / "samples"


def minutes(
    *,
    decision: str = "",
    case: str = "",
    recommendation: str = "",
    title: str = "CF - Opfølgning på arbejdet",
    meeting: str = "28-04-2022",
) -> str:
    """Minutes of one item (Chefforum layout), meeting on a Thursday by default."""
    parts = [
        f"REFERAT Chefforum d. {meeting}",
        "Mødested Mødelokale 1",
        f"Punkt 1: {title}",
        "00.01.00-A21-2-21",
    ]
    if case:
        parts += ["Sagsfremstilling", case]
    if recommendation:
        parts += ["Indstilling", "Kommunaldirektøren indstiller,", recommendation]
    if decision:
        parts += ["Beslutning", decision]
    return "\n\n".join(parts) + "\n"


def followups(**kwargs: str) -> list[FollowUp]:
    parsed = parse_text(minutes(**kwargs))
    for followup in parsed.followups:
        assert parsed.text[followup.start:followup.end] == followup.quote
    return parsed.followups


def only(**kwargs: str) -> FollowUp:
    (followup,) = followups(**kwargs)
    return followup


def test_it_dates_a_commitment_in_a_decision_to_the_day() -> None:
    followup = only(decision="Godkendt. Planen skal være færdig til 12. maj.")

    assert followup.quote == "Planen skal være færdig til 12. maj."
    assert followup.due == date(2022, 5, 12)
    assert followup.precision == "day"
    assert followup.section == "Beslutning"


def test_it_gives_a_month_only_deadline_precision_month() -> None:
    followup = only(decision="Styregruppen vender tilbage med en status i juni 2022.")

    assert followup.precision == "month"
    assert (followup.window_start, followup.due) == (date(2022, 6, 1), date(2022, 6, 30))
    assert followup.responsible == "Styregruppen"


def test_it_gives_early_month_precision_month_part() -> None:
    followup = only(case="Arbejdsgrupperne skal aflevere deres anbefalinger primo oktober 2022.")

    assert followup.precision == "month_part"
    assert followup.due == date(2022, 10, 10)


def test_it_does_not_take_another_bodys_expectation_for_a_follow_up() -> None:
    assert followups(decision="KL forventer at loven vedtages i efteråret 2022, med ikrafttræden 1. januar 2023.") == []


def test_it_does_not_take_a_past_event_for_a_follow_up() -> None:
    assert followups(case="Seminaret blev afholdt den 7. og 8. april 2022 på Hotel Nyborg.") == []
    assert followups(decision="Udvalget besluttede den 2. marts 2022 at igangsætte arbejdet.") == []


def test_it_gives_two_follow_ups_for_a_sentence_with_two_deadlines() -> None:
    first, second = followups(
        case="Budgettet sendes til Økonomiudvalget den 10. maj 2022, så det kan vedtages i Byrådet inden udgangen af juni 2022."
    )

    assert first.quote == "Budgettet sendes til Økonomiudvalget den 10. maj 2022"
    assert first.due == date(2022, 5, 10)
    assert second.quote.startswith("det kan vedtages i Byrådet")
    assert second.due == date(2022, 6, 30)
    assert first.end <= second.start


def test_it_lets_a_bare_verb_after_og_keep_the_subject_of_the_clause_before() -> None:
    first, second = followups(
        case="Efter mødet tilpasses oplægget, så direktionen kan drøfte det med borgmesteren d. 11. maj "
        "og præsenterer det for chefforum 19. maj."
    )

    assert first.responsible == "direktionen"
    assert second.quote == "præsenterer det for chefforum 19. maj."
    assert second.responsible == "direktionen"


def test_it_takes_an_undated_commitment_in_a_decision_with_precision_none() -> None:
    followup = only(decision="Chefforum drøftede sagen og aftalte at Lone Nielsen sender en mail til cheferne.")

    assert followup.quote == "Lone Nielsen sender en mail til cheferne."
    assert followup.due is None
    assert followup.precision == "none"
    assert followup.responsible == "Lone Nielsen"


def test_it_says_relative_for_a_commitment_until_the_next_meeting() -> None:
    followup = only(decision="Sekretariatet udarbejder et notat til næste møde.")

    assert followup.precision == "relative"
    assert followup.due is None
    assert followup.responsible == "Sekretariatet"


def test_it_ignores_an_undated_skal_in_the_case_text() -> None:
    assert followups(case="Politikken skal sikre et godt samarbejde på tværs af afdelingerne.") == []


def test_it_takes_a_dated_milestone_in_the_case_text() -> None:
    followup = only(case="Rapporten vil blive forelagt Økonomiudvalget til orientering i maj.")

    assert followup.section == "Sagsfremstilling"
    assert followup.due == date(2022, 5, 31)


def test_it_ignores_a_programme_years_ahead_in_the_case_text() -> None:
    assert followups(case="Projektperioden løber frem mod udgangen af 2026.") == []


def test_it_ignores_a_bare_year_in_the_case_text() -> None:
    assert followups(case="Nogle initiativer afsluttes i 2022, mens andre fortsætter.") == []


def test_it_takes_a_dated_recommendation_but_not_an_undated_one() -> None:
    (followup,) = followups(
        recommendation="1. at hver afdeling udpeger en kontaktperson inden 1. juni 2022\n2. at sagen drøftes"
    )

    assert followup.quote == "at hver afdeling udpeger en kontaktperson inden 1. juni 2022"
    assert followup.responsible == "afdeling"
    assert followup.section == "Indstilling"


def test_it_never_takes_a_date_in_the_item_title() -> None:
    assert followups(title="CF - Økonomirapport pr. 31.05.2022", decision="Taget til efterretning.") == []


def test_it_ignores_questions_and_conditions() -> None:
    assert followups(decision="Hvis tidsplanen holder, skal byggeriet starte i august.") == []
    assert followups(decision="Skal sagen forelægges Byrådet i juni?") == []


def test_it_does_not_take_a_description_for_a_commitment() -> None:
    decision = (
        "Chefen orienterede om tre initiativer der skal forberede arbejdet. "
        "Til næste gang skal vi være opmærksomme på tidsplanen. "
        "Indstilling 2 godkendes ikke. "
        "Præsentationen vedlægges referatet."
    )

    assert followups(decision=decision) == []


def test_it_finds_the_party_in_its_many_forms() -> None:
    decision = (
        "Afdelingscheferne har en opgave i at orientere deres medarbejdere. "
        "På baggrund af drøftelsen udarbejder sekretæren for Chefforum et notat. "
        "Direktionen godkender indstillingen, og opfordrer til dialog mellem indkøbschef og centerchef. "
        "Udvalget bad forvaltningen om at indarbejde cykelstier i planen. "
        "Det blev aftalt, at Mtre deltager igen på mødet. "
        "Der udarbejdes en procesplan."
    )

    assert [(f.quote.split()[0], f.responsible) for f in followups(decision=decision)] == [
        ("Afdelingscheferne", "Afdelingscheferne"),
        ("På", "sekretæren for Chefforum"),
        ("opfordrer", "indkøbschef og centerchef"),
        ("Udvalget", "forvaltningen"),
        ("Mtre", "Mtre"),
        ("Der", None),
    ]


def test_it_takes_the_owner_of_the_work_for_a_passive_status() -> None:
    followup = only(case="Der gives en status på projektgruppens arbejde på Chefforum den 23. juni 2022.")

    assert followup.responsible == "projektgruppen"


def test_it_warns_when_the_weekday_does_not_match_the_date() -> None:
    followup = only(decision="Fredag den 29. maj får Henrik listen over deltagere.")

    assert followup.warnings == ("weekday_mismatch",)
    assert followup.responsible == "Henrik"


def test_it_uses_a_week_for_the_end_of_this_week() -> None:
    followup = only(
        decision="Det blev aftalt, at cheferne inden ugens udgang skal opdatere arket.", meeting="20-01-2022"
    )

    assert followup.quote.startswith("cheferne inden ugens udgang")
    assert followup.precision == "week"
    assert followup.due == date(2022, 1, 21)
    assert followup.responsible == "cheferne"


def test_it_takes_nothing_from_a_closed_item() -> None:
    text = minutes(decision="Godkendt.").replace("Punkt 1: CF - Opfølgning på arbejdet", "Punkt 1: Lukket")
    text += "\nSekretæren sender sagen til Byrådet inden 1. juni 2022.\n"

    assert parse_text(text).followups == []


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.txt")))
def test_it_quotes_the_text_exactly_in_every_sample(sample: str) -> None:
    parsed = parse_bytes((SAMPLES / sample).read_bytes(), sample)

    assert parsed.followups
    numbers = {item.number for item in parsed.items if not item.closed}
    for followup in parsed.followups:
        assert parsed.text[followup.start:followup.end] == followup.quote
        assert followup.item in numbers
        if followup.due:
            assert followup.due >= parsed.meeting.date


def test_it_gives_each_of_two_commitments_in_one_sentence_its_own_follow_up() -> None:
    first, second = followups(decision="HR sender en plan for implementeringen, og økonomichefen udarbejder et budget.")

    assert (first.quote, first.responsible) == ("HR sender en plan for implementeringen", "HR")
    assert (second.quote, second.responsible) == ("økonomichefen udarbejder et budget.", "økonomichefen")


def test_it_takes_a_named_person_doing_something_in_a_decision() -> None:
    followup = only(decision="Sagen indeholder en oversigt. Ole finder en dato for temamødet.")

    assert followup.quote == "Ole finder en dato for temamødet."
    assert followup.responsible == "Ole"


def test_it_does_not_take_the_meeting_day_for_a_deadline() -> None:
    assert followups(recommendation="1. at dagsordenen for mødet den 28. april godkendes") == []


def test_it_does_not_take_the_day_a_rule_starts_to_apply_for_a_deadline() -> None:
    assert followups(case="Den nye organisering gælder fra 1. januar 2023.") == []


def test_it_takes_the_body_a_passive_is_done_by() -> None:
    followup = only(case="Planen forventes endeligt vedtaget af Byrådet i juni 2022.")

    assert followup.responsible == "Byrådet"


def test_it_takes_the_passive_of_any_verb_in_a_decision_but_not_in_a_report_of_the_past() -> None:
    followup = only(decision="Hjemmesiden ajourføres med de nye medlemmer. Der blev givet et oplæg (se vedhæftede slides).")

    assert followup.quote == "Hjemmesiden ajourføres med de nye medlemmer."
    assert followup.precision == "none"


def test_it_does_not_let_another_bodys_expectation_count_but_lets_ours() -> None:
    (followup,) = followups(
        case="Forvaltningen forventer at fremlægge sagen i juni 2022. Regionen forventer at åbne klinikken i maj."
    )

    assert followup.quote.startswith("Forvaltningen forventer")
    assert followup.responsible == "Forvaltningen"
