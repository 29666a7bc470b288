"""Structure to follow-up candidates: clauses that commit someone to something.

What counts depends on where the clause stands:

1. Decisions (``Beslutning``, ``Konklusion``, "Beslutning: …" on one line,
   and the notes of an item without sections): a commitment with or without
   a date ("Mette Duekilde sender en mail …", "Der udarbejdes en
   procesplan", "Kommissorierne skal være færdige til 12. maj.").
2. Recommendations and case text (``Indstilling``, ``Anledning``,
   ``Baggrund``, ``Sagsfremstilling`` …): only a future, dated milestone
   ("… fremlægges til behandling i Chefforum den 12. maj 2022."), and only
   where something is to be done ("skal", "forelægges", "udarbejder") or the
   date is a deadline ("senest", "frem mod"); case text is full of undated
   "skal" that describe, and of dated events that are no one's task
   ("Foreningen søger om tilskud til en koncert den 14. oktober").
3. History, law and attachments never give follow-ups, nor does a closed item.

Never follow-ups: past events, other bodies' expectations ("KL forventer at
…"), questions, conditionals ("Hvis …"), what someone reported, judged or
asked ("Forvaltningen vurderer, at ændringen vil berøre …", "Susanne
spurgte, om …"), dates in titles, case numbers and attachment names. A
sentence with two deadlines gives two follow-ups, cut at the clause boundary
between them.

The rules are Danish grammar, not the wording of particular minutes: modal
verb + infinitive, present tense used as future ("sender", "vender
tilbage"), the "-es" passive ("der udarbejdes", "fremlægges"), agreement
("det blev aftalt, at …"), a request ("bad forvaltningen om at …"), a named
party followed by a present-tense verb ("Lone finder en dato"). A
commitment inside a subordinate clause counts only under a main clause that
agrees, decides, asks or wishes ("besluttede, at der nedsættes …").

Dates come from the date module; here it is only decided whether a date
belongs to a commitment. Never deadlines: the day something starts to apply
("gælder fra 1. januar", "træder i kraft den …"), the end of a period of
validity ("Stoppet gælder frem til 31. december"); case text also ignores
bare years, dates more than about eighteen months ahead and periods already
under way without "skal"/"inden".

The responsible party is the one named as doing it, as written: the subject
of the clause (also after the verb: "udarbejder sekretæren for Chefforum"),
the one asked ("bad forvaltningen om"), the subject of the clause before for
a bare verb after "og" or for a passive relative clause ("Forvaltningen
udarbejder en plan, som forelægges …"), the antecedent of an active one
("… Teknik- og Miljøudvalget, som forelægger sagen …"), and for a passive
the owner ("status på arbejdsgruppernes arbejde") or agent ("vedtaget af
Byrådet"). "man" and "vi" name nobody to track. In an action list the party
is the cell that names one ("Udkast til kommissorium | Rasmus Friis | 1.
september"), and "Ansvar: …" / "Frist: …" lines give who and by when to the
commitment above them.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from itertools import accumulate
from operator import add
from typing import NamedTuple

from .dates import MONTH_WORDS, Deadline, find_deadlines, lowercase_same_length
from .structure import ATTACHMENTS, CASE, DECISION, HISTORY, ParsedItem

# Case text looks at most this far ahead: "Projektperioden løber frem mod
# udgangen af 2024" describes a programme, not a milestone to track.
CASE_HORIZON_DAYS = 550

# A quote longer than this is cut down to the clauses around its date.
LONG_QUOTE = 180

_DATED_PRECISIONS_IN_CASE = {"day", "week", "month", "month_part", "quarter", "season", "relative"}


@dataclass(frozen=True, slots=True)
class FollowUp:
    item: int
    section: str | None
    quote: str
    start: int
    end: int
    due: date | None
    window_start: date | None
    window_end: date | None
    precision: str
    responsible: str | None
    warnings: tuple[str, ...] = ()
    source: str = DECISION  # the kind of section it came from
    deadline_start: int | None = None  # the time expression inside the quote, for highlighting
    deadline_end: int | None = None



def _dated(
    text: str, start: int, end: int, deadline: Deadline, *, item: int, section: str | None,
    responsible: str | None, source: str,
) -> FollowUp:
    """The follow-up quoting text[start:end], due at the end of the deadline's window."""
    return FollowUp(
        item=item,
        section=section,
        quote=text[start:end],
        start=start,
        end=end,
        due=deadline.window_end,
        window_start=deadline.window_start,
        window_end=deadline.window_end,
        precision=str(deadline.precision),
        responsible=responsible,
        warnings=tuple(deadline.warnings),
        source=source,
        deadline_start=deadline.start,
        deadline_end=deadline.end,
    )


# --- vocabulary ---------------------------------------------------------------

_W = r"[^\W\d_]"  # a letter, Danish letters included

_MODAL = r"(?:skal|vil|må|bør)"


def _alternation(fragments: list[str]) -> str:
    """``(?:a|b|…)`` with fragments that start with a letter grouped by that letter ("s(?:ender|ikrer)").

    Python's regex engine tries the alternatives of a group one after another;
    grouped, it rejects a word after one or two letters instead of after
    trying a hundred alternatives. Fragments starting otherwise (a pattern
    such as a generic verb ending) keep their place after the grouped ones,
    where they stand in every list below, so what matches is unchanged.
    """
    groups: dict[str, list[str]] = {}
    order: list[str] = []
    others: list[str] = []
    for fragment in fragments:
        first = fragment[:1]
        if first.isalpha():
            if first not in groups:
                groups[first] = []
                order.append(first)
            groups[first].append(fragment[1:])
        else:
            others.append(fragment)
    parts = []
    for first in order:
        rests = groups[first]
        if len(rests) == 1:
            parts.append(first + rests[0])
        elif "" in rests:
            # One fragment is this letter alone: keep the list flat below it (rare).
            parts.append(first + "(?:" + "|".join(rests) + ")")
        else:
            parts.append(first + _alternation(rests))
    return "(?:" + "|".join(parts + others) + ")"


def _words(text: str) -> list[str]:
    return text.split()


_PRESENT_COMMIT = _alternation(
    _words(
        "sender fremsender eftersender udsender videresender oversender rundsender udarbejder laver "
        "inviterer indkalder undersøger afklarer fremlægger forelægger afgiver kontakter arrangerer planlægger "
        "gennemfører udpeger beskriver opdaterer indarbejder tilretter færdiggør afleverer leverer indsender "
        "opretter nedsætter koordinerer igangsætter påbegynder afholder tilrettelægger iværksætter "
        "etablerer formulerer konkretiserer ønsker orienterer deltager præsenterer drøfter behandler genoptager "
        "evaluerer indhenter afsøger kortlægger booker sikrer tjekker udsætter udskyder fremsætter genbesøger"
    )
    + [
        r"vender\s+tilbage", r"kommer\s+(?:med|tilbage)", r"melder\s+tilbage", r"følger\s+op", r"sørger\s+for",
        r"holder\s+(?:\w+\s+){0,2}\w*(?:møde|dag|seminar|workshop|arrangement|oplæg|samtale)\w*",
        r"giver\s+(?:\w+\s+){0,2}(?:besked|tilbagemelding|svar)", r"tager\s+kontakt", r"samler\s+op",
        r"tager\s+(?:\w+\s+){0,2}videre", r"tager\s+initiativ", r"har\s+(?:en\s+|til\s+)?opgave",
        r"har\s+(?:ansvaret|ansvar)\s+for", r"ser\s+på", r"kigger\s+på", r"får\s+til\s+opgave",
        r"er\s+ansvarlig", r"står\s+for", r"påtager\s+sig", r"går\s+videre", r"arbejder\s+videre",
        r"tager\s+(?:\w+\s+){0,2}op\b",
        # Present tense of "-ere" verbs (reviderer, justerer, faciliterer) is nearly always an action.
        r"(?!" + _alternation(_words(
            "fungerer eksisterer varierer resulterer baserer respekterer tolererer interesserer passerer "
            "reagerer dominerer figurerer opererer registrerer accepterer noterer konstaterer kvitterer "
            "honorerer repræsenterer vurderer konkluderer argumenterer diskuterer reflekterer signalerer appellerer "
            "kommenterer refererer"
        )) + r"\b)[^\W\d_]{3,}erer",
    ]
)
# Stems of the "-es" passive of verbs that produce something; "arbejdes" (is worked on)
# and "godkendes" (is approved, i.e. done now) are not commitments.
_PASSIVE_STEMS = _words(
    "udarbejd formuler opdater send lægg drøft afklar konkretiser behandl undersøg gennemfør "
    "igangsæt planlæg indkald beskriv præsenter indarbejd tilret færdiggør lever afhold inviter udpeg "
    "nedsæt etabler udvikl evaluer juster revider afrapporter tilpas udmønt implementer iværksæt saml "
    "skriv koordiner indsend forbered prioriter genoptag afsøg kortlæg analyser belys uddyb book opret "
    "arranger fastlæg fastsæt indhent afdæk kvalificer overdrag følg fremm styrk afslut aftal udsæt udskyd "
    "genbesøg afrund udsend fremsend lav udform udfærdig afvikl indstill vurder overvej ændr hold meld "
    "informer orienter rett bestil ansæt fordel udbyd offentliggør opstart"
)
_PASSIVE_LEXICON = _alternation(
    [
        r"tages\s+(?:\w+\s+){0,2}(?:videre|op|med|i\s+brug)", r"sættes\s+(?:i\s+gang|fokus|i\s+værk)", "gives",
        r"der\s+kommer",
        # "Forvaltningen bedes udarbejde …": a request, the subject is the one asked.
        "bedes",
        # Checked last: "tages", "sættes", "gives" are no stem + "es".
        r"\w*" + _alternation(_PASSIVE_STEMS) + "es",
    ]
)
# Any other "-es" passive ("Hjemmesiden ajourføres"), except those that state or judge.
_PASSIVE_GENERIC = (
    r"(?!" + _alternation(_words(
        "godkendes vedtages konstateres bemærkes noteres henvises oplyses understreges fremhæves anbefales "
        "tiltrædes vedlægges arbejdes findes kaldes menes synes skønnes forventes anses betragtes opfattes kendes "
        "bruges anvendes benyttes tages sættes tilføjes savnes ønskes håbes mødes lykkes behøves nævnes siges "
        "vises bevilges gælder navngives benævnes fastholdes bibeholdes opretholdes"
    )) + r"\b)"
    r"[^\W\d_]{4,}(?<!en)(?<!rn)(?<!pr)(?<!proc)es"
)
_PASSIVE_COMMIT = rf"(?:{_PASSIVE_LEXICON}|{_PASSIVE_GENERIC})"
_PASSIVE_LEXICON_WORD = re.compile(rf"{_PASSIVE_LEXICON}$", re.IGNORECASE)
# Asking someone else to act: the one asked is responsible.
_REQUEST = r"(?:beder|bad|anmoder|anmodede|opfordrer|opfordrede|pålægger|pålagde)"
_REQUEST_WORD = re.compile(rf"^{_REQUEST}$", re.IGNORECASE)
_AGREEMENT = (
    r"(?:aftalt|aftalte|aftales|besluttet|besluttede|besluttes|vedtaget)"
    r"(?:\s+(?:endvidere|desuden|også|derudover|samtidig|endelig))?,?\s+at"
)
_TRIGGER = re.compile(
    rf"\b(?:{_MODAL}(?!\s+ikke\b)|{_PRESENT_COMMIT}(?!\s+ikke\b)|{_PASSIVE_COMMIT}(?!\s+ikke\b)|{_AGREEMENT}"
    rf"|{_REQUEST}\s+(?:\w+\s+){{0,4}}(?:om|til)\b)\b",
    re.IGNORECASE,
)
# Modal uses that state, not commit.
_NOT_A_COMMITMENT = re.compile(
    r"\b(?:skal|må|bør)\s+(?:\w+\s+){0,2}være\s+opmærksom"
    r"|\b(?:det|der)\s+skal\s+(?:dog\s+|også\s+)?(?:bemærkes|nævnes|understreges|fremhæves|siges|pointeres|oplyses)"
    r"|\bvil\s+(?:gerne\s+)?(?:takke|sige)\b|\bskal\s+have\s+tak\b|\btages\s+til\s+efterretning"
    r"|\bvedlægges\b"
    # "Rammen fastholdes": what stays as it is, nobody's task
    r"|\b(?:fastholdes|bibeholdes|opretholdes)\b"
    # "ændringen vil berøre 1.100 borgere": a prediction, not a promise.
    r"|\bvil\s+(?:\w+\s+){0,2}(?:betyde|berøre|medføre|koste|kunne|være|ligge|udgøre|påvirke|resultere|føre|"
    r"indebære|bidrage|stige|falde|kræve|gælde|omfatte|vise|blive\s+(?:større|mindre|højere|lavere))\b"
    # "kan fortsat visiteres": a possibility.
    r"|\b(?:kan|kunne)\s+(?:\w+\s+){0,2}[^\W\d_]+es\b",
    re.IGNORECASE,
)
_RELATIVE_MODAL = re.compile(rf"\b(?P<noun>{_W}+)\s+(?:der|som)\s+(?:\w+\s+)?{_MODAL}\b", re.IGNORECASE)
_EXPLETIVE_BEFORE = {
    "og", "men", "at", "så", "hvor", "når", "hvis", "da", "fordi", "mens", "også", "derfor", "endvidere",
    "desuden", "nu", "her", "derudover", "samtidig", "endelig", "dermed", "herefter", "efterfølgende",
    "ligeledes", "hermed", "således", "fremover", "dernæst",
}

_PAST = re.compile(
    r"\b(?:blev|var|havde|fik|\w*(?:gav|kom|tog|gik|stod|lagde|satte)|sagde|gjorde|valgte|"
    r"bad|skulle|kunne|ville|måtte|burde|deltog|godkendte|aftalte|sendte|mente|nævnte|hørte|spurgte|fortalte|"
    r"viste|begyndte|holdt|afholdt|fandt|"
    r"(?:har|havde)\s+(?:\w+\s+){0,4}?(?:været|haft|fået|gjort|sagt|taget|givet|sendt|besluttet|godkendt|aftalt|drøftet|"
    r"behandlet|afholdt|gennemført|udarbejdet|fremlagt|vedtaget|modtaget|bedt|lavet|holdt|set|talt|skrevet|spurgt|"
    r"valgt|deltaget|undersøgt|kontaktet|indsendt|søgt|ansøgt|oplyst|bestilt|tilbudt|vist|peget|bemærket|noteret|"
    r"konstateret|rejst|indhentet|nedsat|udpeget|startet|igangsat|afsluttet|iværksat|bevilget|hørt|mødtes|"
    r"\w+eret)|er\s+(?:\w+\s+){0,4}?(?:blevet|afsluttet|gennemført|"
    r"vedtaget|godkendt|besluttet|sket|startet|igangsat|udført|afholdt|overstået|afleveret|fremsendt|udarbejdet|"
    r"modtaget|indkommet|iværksat|bevilget|nedsat|udpeget|opgjort|beregnet|indgået|afsat|anvendt|brugt|forbrugt|"
    r"overført|registreret|konstateret|fastsat|indført|etableret|ansat|nedlagt|solgt|købt|lukket|åbnet|steget|"
    r"faldet|ændret|justeret|revideret|sendt|lavet|holdt|givet)|"
    rf"(?<!at\s){_W}{{3,}}ede)\b",
    re.IGNORECASE,
)
_FUTURE = re.compile(
    rf"\b(?:{_MODAL}|kan|der\s+(?:\w+\s+)?{_W}{{3,}}es|forventer\s+at|regner\s+med\s+at|kommer\s+til\s+at|bliver|forventes|planlægges|påtænkes|{_PRESENT_COMMIT}|"
    rf"{_PASSIVE_COMMIT}|{_AGREEMENT}|udskudt\s+til|udsat\s+til|får|{_REQUEST}\s+(?:\w+\s+){{0,4}}(?:om|til)\b)\b",
    re.IGNORECASE,
)
# Any finite verb at all: a fragment without one ("Planlægning af … frem mod
# præsentation primo oktober") needs a deadline word to be a milestone.
_VERBISH = re.compile(
    rf"\b(?:{_MODAL}|kan|er|har|bliver|får|går|gør|står|ligger|løber|giver|tager|kommer|ser|findes|viser|betyder|"
    rf"gælder|handler|omfatter|indeholder|sker|mødes|forventer|regner|mener|vurderer|{_W}+erer|{_PRESENT_COMMIT})\b"
    rf"|{_PAST.pattern}|"
    rf"\b(?!(?:deres|jeres|vores)\b){_W}{{3,}}(?<!en)(?<!rn)(?<!pr)(?<!proc)es\b",
    re.IGNORECASE,
)
_DEADLINE_WORD = re.compile(
    r"\b(?:frem\s+mod|inden|senest|forud\s+for|mhp\.|med\s+henblik\s+på|deadline|frist|klar)\b", re.IGNORECASE
)
_UNTIL = re.compile(r"(?:frem\s+til|indtil|til\s+og\s+med|til)\b", re.IGNORECASE)
# What lasts until a day rather than being due on it.
_VALIDITY = re.compile(
    r"\b(?:gælder|gældende|løber|varer|forlænges|forlænget|er\s+lukket|holder\s+lukket|er\s+åben|er\s+åbent)\b",
    re.IGNORECASE,
)
_SPAN_OPENER = re.compile(
    r"^(?:i\s+løbet\s+af|inden|senest|til|frem\s+mod|med\s+udgangen|ved\s+udgangen|primo|medio|ultimo)\b", re.IGNORECASE
)
_STRONG_FUTURE = re.compile(rf"\b(?:{_MODAL}|forventes|kommer\s+til\s+at)\b", re.IGNORECASE)

_EXPECTATION = re.compile(
    rf"\b(?P<who>{_W}[\w\-]*)\s+(?:forventer|regner\s+med|skønner|påpeger|mener)\b", re.IGNORECASE
)
# National bodies and laws; an agency ("Sundhedsstyrelsen"), never a board ("Skolebestyrelsen").
_EXTERNAL = re.compile(
    r"^(?:kl|regeringen|folketinget|staten|eu|\w*ministeriet|\w*ministeren|\w*(?<!be)styrelsen|\w*loven|lovgivningen|"
    r"lovforslaget|\w*lovforslaget|\w*lov)$",
    re.IGNORECASE,
)
# "Direktøren oplyste, at …": reported information; only a real commitment in it counts.
_REPORTED = re.compile(
    r"\b(?:oplyste|orienterede|fortalte|informerede|nævnte|redegjorde|meddelte|gav\s+en\s+status)\b[^.]{0,60}?\bat\b",
    re.IGNORECASE,
)
# "Næste møde holdes den 5. oktober": the calendar, not a follow-up.
_NEXT_MEETING = re.compile(r"\W*(?:næste|kommende)\s+(?:\w*møde)\b", re.IGNORECASE)
_NOTING = re.compile(
    r"\btil\s+(?:efterretning|orientering)|\bgodkend|\btiltræd|\bnoterer|\bkonstaterer|\bkvitterer|\bbakker\s+op",
    re.IGNORECASE,
)
# Before a day on which something starts to apply: "gælder fra", "træder i kraft den".
_STARTS_AT = re.compile(
    r"\b(?:fra|efter|virkning\s+fra|gældende\s+fra|i\s+kraft(?:\s+(?:fra|pr\.))?|gælder(?:\s+fra)?)\s*$",
    re.IGNORECASE,
)
_AGREEMENT_START = re.compile(_AGREEMENT, re.IGNORECASE)
_INFINITIVE_AFTER = re.compile(r"\s*(?!(?:de|alle|hver|denne|disse|sagen|der|det)\b)[a-zæøå]+e\b")
_CLAUSE_SPLIT = re.compile(r",\s+(?:og|men|mens)\s+|;\s+|\s+[–—]\s+")
# A named party at the start of a sentence followed by a present-tense verb.
_SUBJECT_VERB = re.compile(
    r"^(?:[-–•*\s]*)(?:[A-ZÆØÅ][\w\-]+(?:\s+(?:og\s+)?[A-ZÆØÅ][\w\-]+){0,3}"
    r"|[A-ZÆØÅ][\w\-]*(?:chef|direktør|sekretær|leder|konsulent|gruppe|udvalg|rådet|ledelse|afdeling|sekretariat)"
    r"(?:en|et|erne|ne|rne)?(?:\s+for\s+[A-ZÆØÅ][\w\-]*(?:\s+(?:og|&)\s+[A-ZÆØÅ][\w\-]*)?)?)"
    r"\s+(?P<verb>[a-zæøå]{3,}er)\b"
)
_NOT_ACTION_VERBS = frozenset(
    "der over under efter eller mener vurderer godkender beslutter tager noterer konstaterer bemærker anerkender "
    "roser takker bakker peger gentager tiltræder vedtager anbefaler støtter hilser udtrykker understreger "
    "kvitterer fremhæver betoner ser forstår opfatter oplever deler undrer glæder ønsker indeholder omfatter "
    "består handler gælder ligger viser betyder kræver udgør dækker rummer skyldes tilslutter følger afventer "
    "stiger falder vokser koster svinger afhænger varierer forventer regner skønner anslår estimerer minder "
    "imødeser accepterer konkluderer fastholder hæfter giver bifalder billiger foreslår understøtter prioriterer "
    "bekræfter erkender savner tænker håber tror kender husker".split()
)
_OPINION_AFTER = re.compile(r",?\s+(?:at|det|ikke|sig)\b", re.IGNORECASE)  # "finder, at …" is an opinion
_AT_START = re.compile(r"at\s", re.IGNORECASE)
_RELATIVE_START = re.compile(r"(?:som|hvilket|hvor)\b", re.IGNORECASE)
_ENUMERATION = re.compile(r"[A-ZÆØÅ][\w\-]*(?:,|\s+(?:og|&)\s+[A-ZÆØÅ]|\s+[A-ZÆØÅ])")
_CAPITALISED_BEFORE = re.compile(r"(?:^|\s)[A-ZÆØÅ][\w\-]*$")
_AT_END = re.compile(r"\bat\s*$", re.IGNORECASE)
_OG = re.compile(r"\s+og\s+")
_BRACKETED_NOTE = re.compile(r" \([^()\n]{1,25}\)")
_LEADING_CONJUNCTION = re.compile(r"(?:og|men|samt|så)\s+", re.IGNORECASE)
# A comma and a conjunction that only lead on to the next recommendation: "…, og" / "…, samt".
_TRAILING_CONJUNCTION = re.compile(r",\s*(?:og|samt|eller)$", re.IGNORECASE)
# "skal være vedtaget", "vil blive sendt": a passive with a modal, whose subject is acted on.
_PERIPHRASTIC_PASSIVE = re.compile(
    r"(?:skal|må|bør|vil|kan|skulle|ville|kunne)\s+(?:\w+\s+)?(?:være|blive)\s+[^\W\d_]{3,}(?:et|t)\b",
    re.IGNORECASE,
)
_CONDITIONAL = re.compile(r"^(?:hvis|såfremt|ifald|i\s+fald|dersom)\b", re.IGNORECASE)

# Roles, groups and bodies, as the last part of a compound, with Danish endings.
_AGENT_STEMS = _alternation(_words(
    "chef direktør sekretær leder konsulent medarbejder gruppe udvalg råd revision direktion forum ledelse "
    "afdeling center centr sekretariat forvaltning borgmester formand næstformand koordinator tovholder "
    "taskforce team enhed stab administration kontor partner rådgiver arkitekt jurist økonom controller "
    "bestyrelse kommune ansvarlig netværk kreds panel repræsentant formandskab myndighed kasserer referent "
    "revisor suppleant ordfører sagsbehandler kontaktperson formænd område medlem medlemm klynge"
))
# The forms a role takes: "chef", "chefen", "cheferne", "arbejdsgruppen", "byrådet", "forummet".
_AGENT = re.compile(rf"^[\w\-]*?{_AGENT_STEMS}(?:erne|ene|rne|en|et|er|ne|met|e|n|r|t)?$", re.IGNORECASE)
# Groups that are the object of the work, not a party to it.
_NOT_AGENT = re.compile(
    r"^(?:udvalgte?|\w*(?:mål|alders|befolknings|risiko|patient|kunde|bruger|ressource)gruppe\w*|råd)$",
    re.IGNORECASE,
)
_COMMON_NOUN_ENDING = re.compile(
    r"(?:ning|ninger|ingen|else|elsen|hed|heden|tion|tionen|itet|iteten|isme|erne|ene|rne|et|ets)$"
)
_PRONOUN_SUBJECT = {"man", "vi", "de", "han", "hun", "jeg", "du"}
_CAPITAL_STOP = {
    "der", "det", "den", "de", "dette", "disse", "denne", "vi", "man", "jeg", "hvis", "når", "efter", "før",
    "med", "på", "i", "til", "for", "af", "om", "fra", "ved", "som", "og", "men", "så", "derudover", "endelig",
    "samtidig", "desuden", "endvidere", "herudover", "hermed", "dermed", "derfor", "også", "alle", "hver",
    "ingen", "nogle", "flere", "mange", "status", "sagen", "punktet", "beslutning", "indstilling", "bilag",
    "baggrund", "sagsfremstilling", "anledning", "mandag", "tirsdag", "onsdag", "torsdag", "fredag",
    "lørdag", "søndag", "januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
    "oktober", "november", "december", "ifm", "ift", "mhp", "bl", "fx", "evt", "kl", "dvs", "herunder",
    "eventuelt", "godkendt", "udgik", "at", "her", "nu", "tilbagemeldinger", "opfølgning", "frem", "inden",
    "senest", "primo", "medio", "ultimo", "uge", "heri", "således", "endnu", "desværre", "enten", "både",
    "alternativt", "oprindeligt", "efterfølgende", "fremadrettet", "afslutningsvis", "indledningsvis",
    # adjectives and determiners that open a sentence ("Næste budgetopfølgning forelægges …")
    "næste", "kommende", "sidste", "første", "anden", "andet", "nye", "ny", "nyt", "samme", "hele", "begge",
    "øvrige", "resterende", "endelige", "eget", "egen", "en", "et", "ét", "én", "hvert", "enhver", "ethvert",
    "samtlige",
}
_EXCLUDED_BEFORE_VERB = {
    "til", "for", "med", "hos", "fra", "om", "af", "via", "over", "mod", "efter", "under", "ved", "blandt",
    "gennem", "uden", "bag", "end", "som",
}
_PREPOSITIONS = _EXCLUDED_BEFORE_VERB | {"i", "på", "inden", "omkring", "vedr", "ift", "ifm", "hen", "ud"}

_TOKEN = re.compile(rf"{_W}[\w\-&']*")
_TOKEN_SPLIT = re.compile(rf"({_W}[\w\-&']*)")
_CELL_SEPARATOR = re.compile(r"\t+|\s*\|\s*")
_PARTY_JOINERS = frozenset({"og", "&", "for", "samt", "alle", "i", "fra"})
_HAS_DIGIT = re.compile(r"\d")
_PRESENT_TENSE = re.compile(r"^[a-zæøå]{2,}(?:er|år|ør)$")

# --- sentences and clauses ----------------------------------------------------

_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
_NEWLINE = re.compile(r"\n")
# A new unit starts at a list marker, a table row or a labelled line ("Ansvar: Lene", "Frist: 1. maj").
_LIST_START = re.compile(
    r"\n(?=[ \t]*(?:[-–•*▪◦·]|\d{1,2}[.)][ \t]|[a-zæøå]\)[ \t]|\||\**[A-ZÆØÅ][\w \-]{0,24}\**:\**[ \t]))"
)
# Labelled lines that say who or by when, under the commitment they belong to.
_WHO_LABEL = frozenset({"ansvar", "ansvarlig", "ansvarlige", "hvem", "tovholder"})
_WHEN_LABEL = frozenset({"frist", "deadline", "tidsfrist", "hvornår", "senest"})
_METADATA = re.compile(r"[ \t*_]*(?P<label>[A-ZÆØÅa-zæøå]+)[*_]*[ \t]*:[*_]*[ \t]*(?P<value>\S[^\n]{0,40}?)[ \t.]*$")
# A list marker: "- ", "• ", "1. ", "2) ", "b) ", "- b) " (but not the "1. " of "1. januar").
_UNIT_MARKER = re.compile(
    r"[ \t]*(?:[-–•*▪◦·][ \t]*)?"
    r"(?:(?:\d{1,2}[.)]|[a-zæøå]\))[ \t]+"
    r"(?!(?:januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december|kvartal|halvår)\b))?",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?]+[\"»”')]*\s+(?=[\"«„(]?[A-ZÆØÅ0-9–-])")
_ABBREVIATIONS = {
    "bl.a", "f.eks", "fx", "mhp", "ift", "ifm", "ifht", "jf", "jvf", "dvs", "ca", "kl", "nr", "pr", "evt",
    "inkl", "ekskl", "m.v", "m.m", "tlf", "stk", "pkt", "hhv", "iht", "pga", "vha",
    "m.fl", "dir", "adm", "afd", "ang", "att", "max", "min", "mio", "mia", "vedr", "d", "ds", "st",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dec", "o.l", "s", "bl",
    "f", "e", "a", "b", "c", "gl", "sek", "tidl", "tilsv", "hr", "fr", "mht", "vs",
}
_LABEL = re.compile(r"[*_]*([A-ZÆØÅ][^.:!?\n*]{0,60}?)[*_]*:[*_]*[ \t]+(?=\S)")
# Written so that every alternative starts with punctuation or a space: the
# engine rejects all other positions at once.
_WEAK_BOUNDARY = re.compile(
    r"[,;:]\s+|\s+(?:[–—-]\s+|at\s+|men\s+"
    r"|og\s+(?=(?:der|det|de|vi|man|han|hun|jeg)\b"
    rf"|(?:{_MODAL}|kan|er|har|får|bliver|{_W}+erer|{_PRESENT_COMMIT})\b))",
    re.IGNORECASE,
)
_STRONG_BOUNDARY = re.compile(
    rf",\s+(?:og|men|så|mens)\s+|\s+[–—]\s+|\s+-\s+|;\s+|\b{_AGREEMENT}\s+",
    re.IGNORECASE,
)


# First words of every trigger pattern (passives are caught by their "-es").
_TRIGGER_FIRST_WORDS = frozenset(
    "skal vil må bør sender fremsender eftersender udsender videresender oversender rundsender udarbejder laver "
    "vender kommer melder følger sørger inviterer indkalder undersøger afklarer fremlægger forelægger giver tager "
    "kontakter arrangerer planlægger gennemfører udpeger beskriver opdaterer indarbejder tilretter færdiggør "
    "afleverer leverer indsender opretter nedsætter samler koordinerer igangsætter påbegynder afholder "
    "tilrettelægger iværksætter etablerer formulerer konkretiserer ønsker orienterer har får er står påtager går "
    "arbejder deltager præsenterer drøfter behandler genoptager evaluerer indhenter afsøger kortlægger booker "
    "sikrer tjekker udsætter udskyder fremsætter ser kigger der aftalt aftalte aftales besluttet besluttede "
    "afgiver holder "
    "besluttes vedtaget beder bad anmoder anmodede opfordrer opfordrede pålægger pålagde".split()
)


# Words of letters, in lower case, are what every vocabulary test below works on.
Word = tuple[int, int, str]  # start, end, the word in lower case
_LETTERS_SPLIT = re.compile(rf"({_W}+)")  # a split keeps the words as the odd parts


def _words_of(text: str, start: int, end: int) -> list[Word]:
    return _pieces(_LETTERS_SPLIT.split(lowercase_same_length(text[start:end])), start)


def _word_lists(text: str, start: int, end: int) -> tuple[list[int], list[str]]:
    """Where each word of text[start:end] starts, and the words in lower case (two parallel lists)."""
    parts = _LETTERS_SPLIT.split(lowercase_same_length(text[start:end]))
    return list(accumulate(map(len, parts), initial=start))[1::2], parts[1::2]


def _pieces(parts: list[str], start: int) -> list[tuple[int, int, str]]:
    """(start, end, piece) for the odd elements of a split with one capturing group.

    Built with C-level tools (split, accumulate, zip): listing the words of a
    sentence one match object at a time cost more than reading them.
    """
    offsets = list(accumulate(map(len, parts), initial=start))
    pieces = parts[1::2]
    starts = offsets[1::2]
    return list(zip(starts, map(add, starts, map(len, pieces)), pieces))


class _Lexical:
    """A pattern tried only where one of its possible first words starts.

    The vocabularies above are long alternations; trying them at every
    position of a paragraph is what made extraction slow. The words of a
    sentence are listed once, and a set lookup says where a pattern may start.
    """

    def __init__(self, pattern: re.Pattern[str], first_words: frozenset[str], suffixes: tuple[str, ...] = ()) -> None:
        self.pattern = pattern
        self.first_words = first_words
        self.suffixes = suffixes

    def first(self, text: str, words: list[Word], end: int) -> re.Match[str] | None:
        """The first match starting at one of ``words`` and ending by ``end``."""
        match = self.pattern.match
        first_words, suffixes = self.first_words, self.suffixes
        for word_start, _, lower in words:
            if lower in first_words or (suffixes and lower.endswith(suffixes)):
                found = match(text, word_start, end)
                if found:
                    return found
        return None

    def first_in(self, text: str, starts: list[int], lowers: list[str], end: int) -> re.Match[str] | None:
        """As first(), with the words as parallel lists."""
        match = self.pattern.match
        first_words, suffixes = self.first_words, self.suffixes
        if suffixes:
            for word_start, lower in zip(starts, lowers):
                if lower in first_words or lower.endswith(suffixes):
                    found = match(text, word_start, end)
                    if found:
                        return found
            return None
        if first_words.isdisjoint(lowers):
            return None
        for word_start, lower in zip(starts, lowers):
            if lower in first_words:
                found = match(text, word_start, end)
                if found:
                    return found
        return None

    def search(self, text: str, start: int = 0, end: int | None = None) -> re.Match[str] | None:
        end = len(text) if end is None else end
        return self.first(text, _words_of(text, start, end), end)


_PAST_WORDS = frozenset(
    "blev var havde fik gav kom tog gik stod sagde gjorde valgte vedtog gennemgik fremlagde lagde satte bad skulle "
    "overgik foretog modtog indkom fremkom opstod bestod udsatte afgav "
    "kunne ville måtte burde deltog godkendte aftalte sendte mente nævnte hørte spurgte fortalte viste begyndte "
    "holdt afholdt fandt har havde er".split()
)
_PAST_SCAN = _Lexical(_PAST, _PAST_WORDS, ("ede",))
_FUTURE_SCAN = _Lexical(
    _FUTURE,
    _TRIGGER_FIRST_WORDS
    | frozenset("kan kommer bliver forventes planlægges påtænkes udskudt udsat får forventer regner".split()),
    ("es", "erer"),
)
_VERBISH_SCAN = _Lexical(
    _VERBISH,
    _TRIGGER_FIRST_WORDS
    | _PAST_WORDS
    | frozenset(
        "kan er har bliver får går gør står ligger løber giver tager kommer ser findes viser betyder gælder handler "
        "omfatter indeholder sker mødes forventer regner mener vurderer".split()
    ),
    ("erer", "ede", "es"),
)
_TRIGGER_SCAN = _Lexical(_TRIGGER, _TRIGGER_FIRST_WORDS, ("es", "erer"))
_STRONG_FUTURE_SCAN = _Lexical(_STRONG_FUTURE, frozenset("skal vil må bør forventes kommer".split()))
# First words of the patterns below, to try them only where they can match.
_NOT_A_COMMITMENT_WORDS = frozenset(
    "skal må bør det der vil tages vedlægges kan kunne fastholdes bibeholdes opretholdes".split()
)
_REPORTED_WORDS = frozenset("oplyste orienterede fortalte informerede nævnte redegjorde meddelte gav".split())
_WISH_VERBS = frozenset("ønsker ønskede efterspørger efterspurgte efterlyser efterlyste".split())
_WISH_FILLERS = frozenset("en et at få fortsat løbende ny nyt nye kort skriftlig skriftligt samlet fornyet årlig".split())
_RECEIVED = tuple(
    "orientering status redegørelse oplæg notat tilbagemelding afrapportering analyse evaluering beskrivelse "
    "oversigt vurdering opdatering belysning".split()
)
_NOTING_PREFIXES = ("til", "godkend", "tiltræd", "noterer", "konstaterer", "kvitterer", "bakker")
_DEADLINE_WORDS = frozenset("frem inden senest forud mhp med deadline frist klar".split())
_AGREEMENT_WORDS = frozenset("aftalt aftalte aftales besluttet besluttede besluttes vedtaget".split())
_EXPECTATION_HINTS = ("forvent", "regner med", "skønner", "påpeger", "mener")


class _Sentence(NamedTuple):
    start: int
    end: int  # exclusive, after the closing punctuation


def extract_followups(
    text: str,
    items: Sequence[ParsedItem],
    meeting_date: date | None,
    own_body: str | None = None,
) -> list[FollowUp]:
    """Every follow-up candidate in the items, in text order."""
    regions_of: list[tuple[int, list[tuple[str | None, str, int, int]]]] = []
    for item in items:
        if item.closed:
            continue
        regions: list[tuple[str | None, str, int, int]] = []
        if item.section_list:
            if item.notes_end > item.notes_start:
                # Notes before the first section ("Drøftet. Anne indkalder AMR inden uge 8." above
                # "Konklusion: …") are read as case text: only a dated commitment counts.
                regions.append((None, CASE, item.notes_start, item.notes_end))
            for section in item.section_list:
                if section.kind in (ATTACHMENTS, HISTORY):
                    continue
                regions.append((section.name, section.kind, section.text_start, section.text_end))
        elif item.notes_end > item.notes_start:
            regions.append((None, DECISION, item.notes_start, item.notes_end))
        regions_of.append((item.number, regions))
    # Dates are only read where follow-ups can be: not in headers, contents, attachments or history.
    spans = sorted((start, end) for _, regions in regions_of for _, _, start, end in regions if end > start)
    deadlines = find_deadlines(text, meeting_date, _merged(spans)) if meeting_date and spans else []
    deadline_starts = [d.start for d in deadlines]
    context = _Context(text, meeting_date, own_body, deadlines, deadline_starts)
    found: list[FollowUp] = []
    for number, regions in regions_of:
        for name, kind, start, end in regions:
            if kind == DECISION:
                units = _units(text, start, end)
            else:
                # Case text only yields dated milestones: read just the paragraphs
                # that hold a future date (most of a document holds none).
                units = context.units_with_deadlines(start, end)
            # Within a block of lines (no blank line between), "Ansvar: Lene" and "Frist: 1. maj"
            # say who and by when for the commitment above them: they are not new ones.
            block_end = -1
            task: tuple[int, int] | None = None  # the last line of the block that was no label
            anchor: int | None = None  # the follow-up the labels belong to
            carried: str | None = None
            for unit in units:
                if block_end < 0 or "\n\n" in text[block_end:unit[0]]:
                    task = anchor = carried = None
                block_end = unit[1]
                metadata = context.metadata(*unit) if kind == DECISION else None
                if metadata is not None:
                    anchor = context.apply_metadata(found, anchor, number, name, task, metadata)
                    carried = metadata[0] or carried
                    continue
                first_new = len(found)
                for sentence in _unit_sentences(text, *unit):
                    inline = context.metadata(sentence.start, sentence.end) if kind == DECISION else None
                    if inline is not None and anchor is not None:
                        # "Bo laver et udkast. Ansvarlig: Bo. Frist: 1. marts." on one line
                        anchor = context.apply_metadata(found, anchor, number, name, None, inline)
                        continue
                    found.extend(context.sentence_followups(number, name, kind, sentence))
                    if len(found) > first_new:
                        anchor = len(found) - 1
                for index in range(first_new, len(found)):
                    if carried and not found[index].responsible:
                        found[index] = replace(found[index], responsible=carried)
                if len(found) > first_new:
                    anchor = len(found) - 1
                task = unit
    return found


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlapping or nearly touching ones joined (fewer, longer scans)."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + 40:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


class _Context:
    """The document-wide facts every sentence is judged against."""

    def __init__(
        self,
        text: str,
        meeting_date: date | None,
        own_body: str | None,
        deadlines: list[Deadline],
        deadline_starts: list[int],
    ) -> None:
        self.text = text
        self.meeting_date = meeting_date
        self.own_body = (own_body or "").lower()
        self.deadlines = deadlines
        self.deadline_starts = deadline_starts
        self._lowercase_seen: dict[str, bool] = {}
        self._segments: dict[_Sentence, list[tuple[int, int]]] = {}
        # The words of the sentence being read, listed once for every test on it.
        self._sentence_words: tuple[int, int, list[int], list[str]] | None = None
        self._sentence_tokens: tuple[int, int, list[int], list[tuple[int, int, str]]] | None = None

    def written_in_lowercase(self, word: str) -> bool:
        """Does the document also write this word in lower case (then it is no name)?"""
        lower = word.lower()
        seen = self._lowercase_seen.get(lower)
        if seen is None:
            # Plain substring searches: most names never occur in lower case at all, and a
            # pattern compiled for each word would cost more than the search.
            seen = False
            text = self.text
            index = text.find(lower)
            while index >= 0:
                after = index + len(lower)
                before_ok = index == 0 or not (text[index - 1].isalnum() or text[index - 1] in "_-")
                after_ok = after >= len(text) or not (text[after].isalnum() or text[after] in "_-")
                if before_ok and after_ok:
                    seen = True
                    break
                index = text.find(lower, index + 1)
            self._lowercase_seen[lower] = seen
        return seen

    def word_lists(self, start: int, end: int) -> tuple[list[int], list[str]]:
        """Where the words of text[start:end] start, and the words in lower case.

        From the current sentence's lists when they hold the span.
        """
        cached = self._sentence_words
        if cached is None or start < cached[0] or end > cached[1]:
            return _word_lists(self.text, start, end)
        starts, lowers = cached[2], cached[3]
        first, last = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        while last > first and starts[last - 1] + len(lowers[last - 1]) > end:
            last -= 1  # a word that runs past the span is not in it
        return starts[first:last], lowers[first:last]

    def words(self, start: int, end: int) -> list[Word]:
        """The words in text[start:end] as (start, end, lower case)."""
        starts, lowers = self.word_lists(start, end)
        return list(zip(starts, map(add, starts, map(len, lowers)), lowers))

    def tokens(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """Tokens (words with hyphens and digits, as written) of text[start:end], listed once a sentence."""
        cached = self._sentence_tokens
        words = self._sentence_words
        if cached is None and words is not None and words[0] <= start and end <= words[1]:
            tokens = _pieces(_TOKEN_SPLIT.split(self.text[words[0]:words[1]]), words[0])
            cached = self._sentence_tokens = (words[0], words[1], [t[0] for t in tokens], tokens)
        if cached is None or start < cached[0] or end > cached[1]:
            return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(self.text, start, end)]
        starts, tokens = cached[2], cached[3]
        first, last = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        if last > first and tokens[last - 1][1] > end:
            # A token cut by the span's end is read as the cut part, as a scan of the span would.
            cut = tokens[last - 1]
            match = _TOKEN.match(self.text, cut[0], end)
            return tokens[first:last - 1] + ([(cut[0], match.end(), match.group())] if match else [])
        return tokens[first:last]

    def scan(self, lexical: _Lexical, start: int, end: int) -> re.Match[str] | None:
        return lexical.first_in(self.text, *self.word_lists(start, end), end)

    def segments(self, sentence: _Sentence) -> list[tuple[int, int]]:
        found = self._segments.get(sentence)
        if found is None:
            found = self._segments[sentence] = _segments(
                self.text, sentence.start, sentence.end, self.words(sentence.start, sentence.end)
            )
        return found

    def units_with_deadlines(self, start: int, end: int) -> list[tuple[int, int]]:
        units: list[tuple[int, int]] = []
        for deadline in self.deadlines_in(start, end):
            if deadline.is_past or deadline.window_end is None:
                continue
            if units and units[-1][0] <= deadline.start < units[-1][1]:
                continue
            units.append(_unit_around(self.text, start, end, deadline.start))
        return units

    def metadata(self, start: int, end: int) -> tuple[str | None, Deadline | None] | None:
        """(who, by when) when the unit is one "Ansvar: …" or "Frist: …" line, else None."""
        match = _METADATA.match(self.text, start, end)
        if match is None:
            return None
        label = match["label"].lower()
        if label in _WHO_LABEL:
            value = match["value"].strip()
            return (value if value.lower() not in ("", "-", "–") else None), None
        if label in _WHEN_LABEL:
            # The label may be read as part of the deadline ("Frist: 15/3"), so the whole line is searched.
            due = [d for d in self.deadlines_in(start, end) if not d.is_past and d.window_end]
            return None, (due[0] if due else None)
        return None

    def apply_metadata(
        self,
        found: list[FollowUp],
        anchor: int | None,
        item: int,
        section: str | None,
        task: tuple[int, int] | None,
        metadata: tuple[str | None, Deadline | None],
    ) -> int | None:
        """Put who and by when on the follow-up above; returns the index of that follow-up."""
        who, when = metadata
        if who is None and when is None:
            return anchor
        text = self.text
        if anchor is not None:
            followup = found[anchor]
            changes: dict[str, object] = {}
            if who and not followup.responsible:
                changes["responsible"] = who
            if when is not None and followup.due is None:
                changes.update(
                    due=when.window_end, window_start=when.window_start, window_end=when.window_end,
                    precision=str(when.precision), warnings=tuple(when.warnings),
                )
            if changes:
                found[anchor] = replace(followup, **changes)
            return anchor
        if when is None or task is None:
            return anchor
        # A task line with its deadline below it ("Udkast til kommissorium" / "Frist: 1. september").
        start, end = _tidy_span(text, task[0], task[1])
        if end <= start:
            return anchor
        found.append(_dated(text, start, end, when, item=item, section=section, responsible=who, source=DECISION))
        return len(found) - 1

    def deadlines_in(self, start: int, end: int) -> list[Deadline]:
        first = bisect.bisect_left(self.deadline_starts, start)
        result = []
        for index in range(first, len(self.deadlines)):
            deadline = self.deadlines[index]
            if deadline.start >= end:
                break
            if deadline.end <= end:
                result.append(deadline)
        return result

    # -- one sentence --------------------------------------------------------

    def sentence_followups(self, item: int, section: str | None, kind: str, sentence: _Sentence) -> list[FollowUp]:
        text = self.text
        raw = text[sentence.start:sentence.end]
        deadlines = self.deadlines_in(sentence.start, sentence.end)
        if not any(not d.is_past for d in deadlines) and kind != DECISION:
            return []
        starts, lowers = _word_lists(text, sentence.start, sentence.end)
        self._sentence_words = (sentence.start, sentence.end, starts, lowers)
        self._sentence_tokens = None  # listed when first needed: most sentences never need them
        if not any(not d.is_past for d in deadlines) and not _may_commit(raw, lowers):
            return []
        if raw.rstrip().endswith("?") or _CONDITIONAL.match(raw):
            return []
        if _NEXT_MEETING.match(raw) or self._is_others_expectation(raw):
            return []
        accepted: list[Deadline] = []
        relative: Deadline | None = None
        previous_end = sentence.start
        deadlines = [self._next_if_promised(deadline, sentence) for deadline in deadlines]
        for deadline in deadlines:
            if deadline.window_end is None:
                if not deadline.is_past and relative is None:
                    relative = deadline
                previous_end = deadline.end
                continue
            if self._accept_deadline(kind, sentence, deadline, previous_end):
                accepted.append(deadline)
            previous_end = deadline.end
        table_row = text.find("\t", sentence.start, sentence.end) >= 0 or text.startswith("|", sentence.start)
        if accepted:
            if table_row:
                return self._table_row(item, section, kind, sentence, accepted[-1])
            return self._dated(item, section, kind, sentence, accepted)
        if kind != DECISION:
            return []
        if table_row and relative is not None:
            # "| Opdatere hjemmesiden | Carl | løbende |": a row of an action list without a date
            return self._table_row(item, section, kind, sentence, relative)
        return self._undated(item, section, sentence, relative)

    def _next_if_promised(self, deadline: Deadline, sentence: _Sentence) -> Deadline:
        """A yearless period that has just ended, in a clause that promises something, is next year's.

        "Sagen genoptages i 2. kvartal" said in August means next year's second quarter; "i 2.
        kvartal blev …" stays a reference to the one just past.
        """
        if (
            not deadline.is_past
            or deadline.window_start is None
            or deadline.window_end is None
            or deadline.precision not in _YEARLY_PRECISIONS
            or _HAS_DIGIT_YEAR.search(self.text, deadline.start, deadline.end)
        ):
            return deadline
        clause_end = _next_boundary(self.text, deadline.end, sentence.end, self.words(deadline.end, sentence.end))
        if not self.scan(_TRIGGER_SCAN, sentence.start, clause_end) or self.scan(_PAST_SCAN, sentence.start, clause_end):
            return deadline
        start, end = _year_later(deadline.window_start), _year_later(deadline.window_end)
        if start is None or end is None or (self.meeting_date and end < self.meeting_date):
            return deadline
        return replace(deadline, window_start=start, window_end=end, is_past=False)

    def _is_others_expectation(self, raw: str) -> bool:
        lower = raw.lower()
        if not any(hint in lower for hint in _EXPECTATION_HINTS):
            return False
        for match in _EXPECTATION.finditer(raw):
            who = match["who"].lower()
            if who in ("det", "der", "vi", "man", "jeg", "og", "at", "som"):
                continue
            if self.own_body and (who in self.own_body or self.own_body in who):
                continue
            if _role_form(who) in ("role", "genitive"):
                continue  # "Forvaltningen forventer at fremlægge …": one of our own
            return True
        return False

    def _accept_deadline(self, kind: str, sentence: _Sentence, deadline: Deadline, previous_end: int) -> bool:
        if deadline.is_past:
            return False
        if deadline.window_end == self.meeting_date and deadline.precision == "day":
            return False  # "dagsorden for mødet den 4. juni": this meeting, not a deadline
        text = self.text
        starts = text.startswith("pr.", deadline.start) or _STARTS_AT.search(
            text, max(0, deadline.start - 30), deadline.start
        )
        if starts and deadline.window_start == deadline.window_end:
            # "gælder fra 1. januar", "træder i kraft pr. 1. januar", "Huslejen stiger fra
            # 1. januar": when something starts to apply, not something to do.
            return False
        if _UNTIL.match(text, deadline.start, deadline.end) and _VALIDITY.search(text, sentence.start, deadline.start):
            if not self.scan(_TRIGGER_SCAN, sentence.start, deadline.start):
                return False  # "Stoppet gælder frem til 31. december", "Høringen løber til 15. oktober"
        if kind != DECISION:
            if deadline.precision not in _DATED_PRECISIONS_IN_CASE and not _short_period(deadline):
                return False
            if self.meeting_date and (deadline.window_end - self.meeting_date).days > CASE_HORIZON_DAYS:
                return False
        # The clause around the date: from the previous date to the next clause boundary.
        right_end = _next_boundary(text, deadline.end, sentence.end, self.words(deadline.end, sentence.end))
        around_starts, around_lowers = self.word_lists(previous_end, right_end)
        if not _FUTURE_SCAN.first_in(text, around_starts, around_lowers, right_end) and (
            _PAST_SCAN.first_in(text, around_starts, around_lowers, right_end)
            or (kind == DECISION and _noting(text, around_lowers, previous_end, right_end))
        ):
            # "tager orienteringen om indsatsen frem mod sommeren til efterretning"
            # notes a date; nobody is to act on it.
            return False
        if (
            not _REPORTED_WORDS.isdisjoint(self.word_lists(sentence.start, deadline.start)[1])
            and _REPORTED.search(text, sentence.start, deadline.start)
            and not _TRIGGER_SCAN.first_in(text, around_starts, around_lowers, right_end)
        ):
            return False
        if _external_subject(text, previous_end, right_end):
            return False
        if kind != DECISION:
            if not self.scan(_FUTURE_SCAN, sentence.start, sentence.end) and not _SPAN_OPENER.match(
                text, deadline.start, deadline.end
            ):
                # Case text describes; it holds a milestone only where something is to be done
                # ("skal", "forelægges", "udarbejder") or a date is a deadline ("frem mod", "senest").
                # "Foreningen søger om tilskud til en koncert den 14. oktober" is neither.
                if not (
                    not _DEADLINE_WORDS.isdisjoint(self.word_lists(sentence.start, deadline.end)[1])
                    and _DEADLINE_WORD.search(text, sentence.start, deadline.end)
                ):
                    return False
            phrase = text[deadline.start:deadline.end]
            if (
                self.meeting_date
                and deadline.window_start
                and deadline.window_start < self.meeting_date
                and deadline.precision not in ("day", "week")
                and not _SPAN_OPENER.match(phrase)
                and not _STRONG_FUTURE_SCAN.first_in(text, around_starts, around_lowers, right_end)
            ):
                # A period already under way, without "by" or "skal": an activity
                # going on now ("evalueringen gennemføres i november/december").
                return False
        return True

    def _dated(
        self, item: int, section: str | None, kind: str, sentence: _Sentence, accepted: list[Deadline]
    ) -> list[FollowUp]:
        text = self.text
        pieces: list[tuple[int, int, Deadline]] = []
        start = sentence.start
        for index, deadline in enumerate(accepted):
            end = sentence.end
            if index + 1 < len(accepted):
                cut = _first_boundary(text, deadline.end, accepted[index + 1].start)
                if cut is None:
                    # No clause boundary between them: one clause, one follow-up.
                    continue
                end = cut[0]
            pieces.append((start, end, deadline))
            if index + 1 < len(accepted):
                start = cut[1]
        result = []
        for piece_start, piece_end, deadline in pieces:
            quote_start = self._trim_start(piece_start, deadline.start, dated=True)
            if piece_end - quote_start > LONG_QUOTE:
                quote_start, piece_end = self._clause_around(quote_start, piece_end, deadline)
            quote_start, quote_end = _tidy_span(text, quote_start, piece_end)
            if quote_end <= quote_start:
                continue
            responsible = self._responsible(sentence, quote_start, deadline.start)
            result.append(
                _dated(text, quote_start, quote_end, deadline, item=item, section=section,
                       responsible=responsible, source=kind)
            )
        return result

    def _table_row(
        self, item: int, section: str | None, kind: str, sentence: _Sentence, deadline: Deadline
    ) -> list[FollowUp]:
        """A row of an action list ("Udkast til kommissorium <tab> Rasmus Friis <tab> 1. september 2023").

        The whole row is the quote, and the party is the cell that names one.
        """
        text = self.text
        start, end = _tidy_span(text, sentence.start, sentence.end)
        while start < end and text[start] in "| \t":
            start += 1
        while end > start and text[end - 1] in "| \t":
            end -= 1
        if end <= start:
            return []
        responsible = None
        cells = _split(text, start, end, _CELL_SEPARATOR)
        for cell_start, cell_end in cells[1:]:  # the first cell says what is to be done
            if cell_start <= deadline.start < cell_end:
                continue
            cell_start, cell_end = _tidy_span(text, cell_start, cell_end)
            if self._names_a_party(cell_start, cell_end):
                responsible = text[cell_start:cell_end]
                break
        if responsible is None and len(cells) < 2:
            responsible = self._responsible(sentence, start, deadline.start)
        return [_dated(text, start, end, deadline, item=item, section=section, responsible=responsible, source=kind)]

    def _names_a_party(self, start: int, end: int) -> bool:
        """A short cell of names or roles: "Rasmus Friis", "HR", "Forvaltningen", "alle chefer"."""
        words = [m.group() for m in _TOKEN.finditer(self.text, start, end)]
        if not 1 <= len(words) <= 6 or _HAS_DIGIT.search(self.text, start, end):
            return False
        named = False
        for word in words:
            lower = word.lower()
            if word[0].isupper() and lower not in _CAPITAL_STOP:
                named = True
            elif _role_form(lower) == "role":
                named = True
            elif lower not in _PARTY_JOINERS:
                return False
        return named

    def _undated(
        self, item: int, section: str | None, sentence: _Sentence, relative: Deadline | None
    ) -> list[FollowUp]:
        """One follow-up per commitment; "Mette sender X, og Henrik indkalder til Y" is two."""
        text = self.text
        result: list[FollowUp] = []
        start = sentence.start
        while start < sentence.end:
            found = self._first_trigger(start, sentence.end, sentence)
            if found is None:
                break
            trigger_start, trigger_end, agreement = start + found[0], start + found[1], found[2]
            # After "det blev aftalt, at Rune …" the commitment is what follows; after
            # "aftalt at drøfte …" (no new subject) the whole sentence is it.
            anchor = trigger_end if agreement and not _INFINITIVE_AFTER.match(text, trigger_end) else trigger_start
            while anchor < sentence.end and text[anchor].isspace():
                anchor += 1
            end, following = self._next_commitment(sentence, trigger_end)
            quote_start = self._trim_start(start, anchor, dated=False)
            quote_start, quote_end = _tidy_span(text, quote_start, end)
            around_end = _next_boundary(text, trigger_end, end, self.words(trigger_end, end))
            if quote_end > quote_start and not _external_subject(text, start, around_end):
                here = relative if relative and quote_start <= relative.start < quote_end else None
                result.append(
                    FollowUp(
                        item=item,
                        section=section,
                        quote=text[quote_start:quote_end],
                        start=quote_start,
                        end=quote_end,
                        due=None,
                        window_start=None,
                        window_end=None,
                        precision="relative" if here else "none",
                        responsible=self._responsible(sentence, quote_start, anchor),
                        warnings=tuple(here.warnings) if here else (),
                        source=DECISION,
                        deadline_start=here.start if here else None,
                        deadline_end=here.end if here else None,
                    )
                )
            if following is None:
                break
            start = following
        return result

    def _next_commitment(self, sentence: _Sentence, after: int) -> tuple[int, int | None]:
        """Where this commitment's clause ends, and where the next one with its own subject starts."""
        text = self.text
        for boundary in _CLAUSE_SPLIT.finditer(text, after, sentence.end):
            found = self._first_trigger(boundary.end(), sentence.end, sentence)
            if found is None:
                break
            subject = self._agent_in(boundary.end(), boundary.end() + found[0], sentence)
            if isinstance(subject, str):
                return boundary.start(), boundary.end()
        return sentence.end, None

    def _first_trigger(self, start: int, end: int, sentence: _Sentence) -> tuple[int, int, bool] | None:
        """(start, end, is an agreement) of the first commitment in text[start:end], relative to ``start``."""
        match = self._trigger_in(start, end)
        if match is not None:
            return match.start() - start, match.end() - start, bool(_AGREEMENT_START.match(match.group()))
        raw = self.text[start:end]
        fallback = _SUBJECT_VERB.match(raw)
        if (
            fallback is not None
            and fallback.group("verb").lower() not in _NOT_ACTION_VERBS
            and not _OPINION_AFTER.match(raw, fallback.end("verb"))
        ):
            # "Lone finder en dato", "Direktøren for Teknik og Miljø reviderer planen": only
            # when the subject really is a party, not "Sagen indeholder …".
            subject_end = start + fallback.start("verb")
            tokens = self.tokens(start, subject_end)
            if tokens and self._agent_kind(tokens, 0, sentence) in ("role", "name"):
                return fallback.start("verb"), fallback.end("verb"), False
        return None

    def _trigger_in(self, start: int, end: int) -> re.Match[str] | None:
        """The first commitment in text[start:end] (offsets into the whole text)."""
        text = self.text
        starts, lowers = self.word_lists(start, end)
        blocked = []
        if not _NOT_A_COMMITMENT_WORDS.isdisjoint(lowers):
            for word_start, lower in zip(starts, lowers):
                if lower in _NOT_A_COMMITMENT_WORDS and (found := _NOT_A_COMMITMENT.match(text, word_start, end)):
                    blocked.append(found.span())
        words: list[Word] | None = None
        # Try the full pattern only where a word could start a trigger.
        for word_start, lower in zip(starts, lowers):
            if lower not in _TRIGGER_FIRST_WORDS and not lower.endswith(("es", "erer")):
                continue
            match = _TRIGGER.match(text, word_start, end)
            if match is None:
                continue
            if any(s <= match.start() < e for s, e in blocked):
                continue
            if _is_relative_clause_modal(text, start, match):
                continue
            if words is None:
                words = list(zip(starts, map(add, starts, map(len, lowers)), lowers))
            if _in_uncommitted_clause(text, start, match, words):
                continue
            if (
                match.group().lower().endswith("es")
                and not _PASSIVE_LEXICON_WORD.match(match.group())
                and _PAST_SCAN.first_in(text, starts, lowers, _main_clause_end(text, match.end(), end))
            ):
                # An unfamiliar "-es" word in a sentence about the past ("se vedhæftede
                # slides") is weak evidence of a commitment. A relative clause after it does not
                # count ("Hjemmesiden ajourføres for de medlemmer, der er bevilget orlov").
                continue
            return match
        return None

    def _clause_around(self, start: int, end: int, deadline: Deadline) -> tuple[int, int]:
        return _clause_around_in(self, start, end, deadline)

    def _trim_start(self, start: int, anchor: int, dated: bool) -> int:
        """Start the quote at the clause that holds the commitment.

        "Chefforum bakker op om arbejdet, og projektgruppen vender tilbage …"
        quotes from "projektgruppen"; "det blev aftalt, at Rune fremsender …"
        from "Rune".
        """
        text = self.text
        best = start
        if not _may_have_strong_boundary(text, start, anchor, self.words(start, anchor)):
            return best
        for match in _STRONG_BOUNDARY.finditer(text, start, anchor):
            candidate = match.end()
            if candidate > anchor and not dated:
                continue
            if dated and not self.scan(_VERBISH_SCAN, candidate, min(anchor + 40, len(text))):
                continue
            best = candidate
        return best

    # -- who -----------------------------------------------------------------

    def _responsible(self, sentence: _Sentence, quote_start: int, anchor: int) -> str | None:
        """The party named as doing it, as written ("cheferne", "sekretæren for Chefforum").

        The subject of the clause that holds the anchor; the urged party after
        "opfordrer til … mellem"; for a bare verb after "og" the subject of the
        clause before; for a passive the owner in a genitive ("på
        arbejdsgruppernes arbejde").
        """
        text = self.text
        segments = []
        for seg_start, seg_end in self.segments(sentence):
            # The quote may start inside a clause (the second of two deadlines): cut there.
            if seg_start < quote_start < seg_end:
                segments += [(seg_start, quote_start), (quote_start, seg_end)]
            else:
                segments.append((seg_start, seg_end))
        position = 0
        for index, (seg_start, _) in enumerate(segments):
            if seg_start <= anchor:
                position = index
        seg_start, seg_end = segments[position]
        request = _TOKEN.match(text, anchor)
        if request and _REQUEST_WORD.match(request.group()):
            # "Udvalget bad forvaltningen om …", "opfordrer til dialog mellem X og Y".
            asked = self._agent_in(request.end(), seg_end, sentence, after_verb=True)
            if isinstance(asked, str):
                return asked
        complement = _complement_clause(text, seg_start, seg_end)
        # "… om at fremlægge en plan for det specialiserede børneområde": an infinitive has
        # no subject of its own; whoever is named in it is an object.
        infinitive = complement and _is_infinitive_clause(text, seg_start, seg_end)
        if not infinitive:
            found = self._agent_in(seg_start, seg_end, sentence)
            if found is _STOP:
                return None
            if isinstance(found, str):
                # "Udvalget ønsker en status i marts": the one who wishes to receive something is not
                # the one who delivers it ("Direktionen ønsker en drøftelse med …" takes part in it).
                if self._wishes_to_receive(seg_start, seg_end):
                    return None
                # "Udvalget bad forvaltningen om en redegørelse": the one asked acts; "Kassereren
                # opfordrede alle til at tilmelde sig": "alle" names nobody to track.
                asks, asked = self._request_in(seg_start, seg_end, sentence)
                return asked if asks else found
        # "… d. 11. december og præsenterer denne for chefforum", "X har ansvaret
        # for at informere …", "X sikrer, at …", "X udarbejder en plan, som forelægges
        # udvalget …": the subject of the clause before (or the one asked in it).
        if (
            infinitive
            or complement
            or _starts_with_verb(text, seg_start, seg_end)
            or _RELATIVE_START.match(text, seg_start, seg_end)
        ):
            if position and _RELATIVE_START.match(text, seg_start, seg_end) and not self._passive_after(seg_start, seg_end):
                # "… i Teknik- og Miljøudvalget, som forelægger sagen …": the one the clause is about;
                # "… en ny skolevej ved Bakkeskolen, som skal stå færdig": a thing, nobody named.
                return self._antecedent(*segments[position - 1], sentence)
            for back in range(position - 1, -1, -1):
                if not infinitive and any(_reporting(w[2]) for w in self.words(*segments[back])):
                    # "Tina Vang oplyste, at der følges op …": the one who told is not the one who acts
                    # (but "Forvaltningen forventer at fremlægge …" is its own plan).
                    return None
                asks, asked = self._request_in(*segments[back], sentence)
                if asks:
                    return asked
                previous = self._agent_in(*segments[back], sentence)
                if previous is _STOP:
                    return None
                if isinstance(previous, str):
                    return previous
        return self._genitive_owner(seg_start, seg_end, sentence)

    def _wishes_to_receive(self, start: int, end: int) -> bool:
        """Is the clause "<party> ønsker en orientering/status/redegørelse …"?"""
        tokens = iter(_TOKEN.finditer(self.text, start, end))
        for token in tokens:
            if _is_verb(token.group()):
                if token.group().lower() not in _WISH_VERBS:
                    return False
                for following in tokens:
                    word = following.group().lower()
                    if word not in _WISH_FILLERS:
                        return word.endswith(_RECEIVED)
                return False
        return False

    def _passive_after(self, start: int, end: int) -> bool:
        """Is the first verb of the clause a passive ("som forelægges …")?"""
        for token in _TOKEN.finditer(self.text, start, end):
            if _is_verb(token.group()):
                return _is_passive(token.group())
        return False

    def _antecedent(self, start: int, end: int, sentence: _Sentence) -> str | None:
        """The party a relative clause is about: the last word of the clause before it, if it names one."""
        tokens = self.tokens(start, end)
        if not tokens:
            return None
        index = len(tokens) - 1
        kind = self._agent_kind(tokens, index, sentence)
        previous = tokens[index - 1][2].lower() if index else ""
        if kind == "role" or (kind == "name" and previous not in _PREPOSITIONS):
            if not _external(tokens[index][2]):
                return self._extend(tokens, index, False)
        return None

    def _request_in(self, start: int, end: int, sentence: _Sentence) -> tuple[bool, str | None]:
        """Does the clause ask someone ("Udvalget bad forvaltningen om"), and whom, if it names them?"""
        for token in _TOKEN.finditer(self.text, start, end):
            if _REQUEST_WORD.match(token.group()):
                asked = self._agent_in(token.end(), end, sentence, after_verb=True)
                return True, (asked if isinstance(asked, str) else None)
        return False, None

    def _agent_in(
        self, start: int, end: int, sentence: _Sentence, after_verb: bool = False
    ) -> str | _Stop | None:
        tokens = self.tokens(start, end)
        verb_index = -1 if after_verb else next((i for i, t in enumerate(tokens) if _is_verb(t[2])), len(tokens))
        # "Planen skal være vedtaget inden …": the subject of a passive is what is done, not who does it.
        patient = 0 <= verb_index < len(tokens) and _PERIPHRASTIC_PASSIVE.match(self.text, tokens[verb_index][0], end)
        for index, (_, _, word) in enumerate(tokens):
            lower = word.lower()
            previous = tokens[index - 1][2].lower() if index else ""
            before_verb = index < verb_index
            if before_verb and patient:
                continue
            if before_verb and lower in _PRONOUN_SUBJECT:
                return _STOP
            if _external(word):
                if before_verb:
                    return _STOP
                continue
            kind = self._agent_kind(tokens, index, sentence)
            if kind is None:
                continue
            genitive = kind == "genitive"
            if before_verb:
                if not genitive and previous in _EXCLUDED_BEFORE_VERB:
                    continue
                if kind == "name" and previous in _PREPOSITIONS:
                    continue  # "på Skovvej", "i Ådalen": a place; "i Økonomiudvalget" may still act
            else:
                if genitive or (previous in _PREPOSITIONS and previous != "mellem"):
                    continue
                if not after_verb and verb_index < len(tokens) and _is_passive(tokens[verb_index][2]):
                    continue  # "forelægges Byrådet": the body it goes to, not the one who acts
            return self._extend(tokens, index, genitive)
        return None

    def _genitive_owner(self, start: int, end: int, sentence: _Sentence) -> str | None:
        """For a passive: the owner of the work, or the body it is done by or in.

        "status på arbejdsgruppernes arbejde", "vedtaget af Byrådet", "behandles i Økonomiudvalget".
        """
        tokens = self.tokens(start, end)
        verb_index = next((i for i, t in enumerate(tokens) if _is_verb(t[2])), len(tokens))
        for index, (_, _, word) in enumerate(tokens):
            kind = self._agent_kind(tokens, index, sentence)
            if kind == "genitive":
                return _strip_genitive(word)
            # "af" / "i" after the passive verb names its agent; before it, it is
            # part of the subject ("Organiseringen af aktørnetværket skal …").
            if kind and index > verb_index and tokens[index - 1][2].lower() in ("af", "i"):
                return self._extend(tokens, index, False)
        return None

    def _agent_kind(self, tokens: list[tuple[int, int, str]], index: int, sentence: _Sentence) -> str | None:
        """"role", "name", "genitive" or None."""
        position, word_end, word = tokens[index]
        lower = word.lower()
        form = _role_form(lower)
        if form != "other":
            return form
        if not word[0].isupper():
            return None
        if "-" in word and word.rsplit("-", 1)[1][:1].islower():
            return None  # "MED-systemet": a common noun with a proper first part
        if word.isupper() and len(word) >= 2:
            return "name"  # an abbreviated body or department: ØU, FDC
        if self._sentence_initial(position, sentence):
            # Capitalised perhaps only because it starts the sentence.
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if (
                following
                and following[2][0].isupper()
                and following[2].lower() not in _CAPITAL_STOP
                and _only_space(self.text, word_end, following[0])
            ):
                return "name"  # "Lene Hansen kontakter …"
            if _COMMON_NOUN_ENDING.search(lower) or self.written_in_lowercase(word):
                return None
            if len(lower) >= 9 and lower.endswith(("en", "et", "ne")):
                return None  # "Tidsplanen", "Ansøgningsfristen": a definite noun; first names are short
            if following and _is_passive(following[2]):
                return None  # "Planen revideres": the thing, not the one who does it
            if following and not following[2][0].isupper():
                after = following[2].lower()
                if after in _PREPOSITIONS or not (after in ("og", "&") or _is_verb(after) or _PRESENT_TENSE.match(after)):
                    return None  # "Program for temadagen", "Udkast til kommissorium": a noun phrase, not a person
        return "name"

    def _sentence_initial(self, position: int, sentence: _Sentence) -> bool:
        before = self.text[sentence.start:position]
        return not before.strip(" \t\n\u00a0\"'«„(-–•*")

    def _extend(self, tokens: list[tuple[int, int, str]], index: int, genitive: bool) -> str:
        """Grow a responsible party to what the text names: a full name, "X for Y", "X og Y"."""
        text = self.text
        start, _, word = tokens[index]
        if genitive:
            return _strip_genitive(word)
        if index >= 1 and word[0].isupper() and text[tokens[index - 1][1]:start] == " & ":
            # "Økonomi & Stab" found from its last word.
            before = tokens[index - 1][2]
            if before[0].isupper() and before.lower() not in _CAPITAL_STOP:
                start = tokens[index - 1][0]
        elif (
            index >= 2
            and word[0].isupper()
            and tokens[index - 1][2] == "og"
            and text[tokens[index - 2][1]:tokens[index - 1][0]] == " "
            and text[tokens[index - 1][1]:start] == " "
        ):
            # "Teknik og Miljø", "Teknik- og Miljøudvalget" found from its last word.
            before = tokens[index - 2][2]
            if before[0].isupper() and before.lower() not in _CAPITAL_STOP:
                start = tokens[index - 2][0]
        last = index
        if word[0].isupper() and not _agent_word(word):
            # "Mette Duekilde", "Teknik og Miljø", "Jens og Mette".
            last = self._capitalised_run(tokens, last)
        if last + 2 < len(tokens) and tokens[last + 1][2] == "for" and tokens[last + 2][2][0].isupper():
            # "sekretæren for Chefforum", "Direktøren for Børn, Sundhed & Velfærd".
            last = self._capitalised_run(tokens, last + 2, allow_comma=True)
        elif last + 2 < len(tokens) and tokens[last + 1][2] == "og":
            following = tokens[last + 2][2]
            if _agent_word(following) and not _NOT_AGENT.match(following) and following.lower() not in _CAPITAL_STOP:
                last += 2
        end = tokens[last][1]
        if "(" in text[start:end] and (note := _BRACKETED_NOTE.match(text, end)):
            end = note.end()  # "Lone (HR) og Jens (IT)": the last name's note as well
        return text[start:end]

    def _capitalised_run(self, tokens: list[tuple[int, int, str]], last: int, allow_comma: bool = False) -> int:
        text = self.text
        while last + 1 < len(tokens):
            gap = text[tokens[last][1]:tokens[last + 1][0]]
            following = tokens[last + 1][2]
            if following == "og" and last + 2 < len(tokens) and gap == " ":
                after = tokens[last + 2][2]
                joined = text[tokens[last + 1][1]:tokens[last + 2][0]] == " "
                if after[0].isupper() and after.lower() not in _CAPITAL_STOP and joined:
                    last += 2
                    continue
                break
            if gap == " (":
                # "Lone (HR) og Jens (IT)": a short note in brackets, then perhaps the next name.
                close = text.find(")", tokens[last][1], tokens[last][1] + 30)
                after = last + 1
                while close >= 0 and after < len(tokens) and tokens[after][0] < close:
                    after += 1
                if (
                    close >= 0
                    and after + 1 < len(tokens)
                    and tokens[after][2] == "og"
                    and text[close + 1:tokens[after][0]] == " "
                    and tokens[after + 1][2][0].isupper()
                    and tokens[after + 1][2].lower() not in _CAPITAL_STOP
                ):
                    last = after + 1
                    continue
                break
            if not following[0].isupper() or following.lower() in _CAPITAL_STOP:
                break
            if gap not in (" ", " & ") and not (allow_comma and gap == ", "):
                break
            last += 1
        return last


class _Stop:
    """ "man", "vi", "KL": the subject is named, and it is no party to track."""


_STOP = _Stop()


def _only_space(text: str, start: int, end: int) -> bool:
    gap = text[start:end]
    return gap == " "


def _strip_genitive(word: str) -> str:
    return word[:-1] if word.lower().endswith("s") else word


@lru_cache(maxsize=8192)
def _agent_word(word: str) -> bool:
    return _AGENT.match(word) is not None


@lru_cache(maxsize=8192)
def _external(word: str) -> bool:
    return _EXTERNAL.match(word) is not None


@lru_cache(maxsize=8192)
def _role_form(lower: str) -> str | None:
    """ "role", "genitive", None (never a party) or "other" (perhaps a name), for a lower-cased word."""
    if lower in _CAPITAL_STOP or _HAS_DIGIT.search(lower) or _NOT_AGENT.match(lower):
        return None
    if _AGENT.match(lower):
        return "role"
    if lower.endswith("s") and _AGENT.match(lower[:-1]) and not _NOT_AGENT.match(lower[:-1]):
        return "genitive"
    return "other"


def _is_passive(word: str) -> bool:
    return word.lower().endswith("es") and _is_verb(word)


@lru_cache(maxsize=8192)
def _is_verb(word: str) -> bool:
    return _VERB_WORD.match(word.lower()) is not None


_VERB_WORD = re.compile(
    rf"^(?:{_MODAL}|kan|er|har|bliver|blev|var|får|fik|{_W}+erer|{_W}+ede|"
    rf"(?!(?:deres|jeres|vores)\b){_W}{{3,}}(?<!en)(?<!rn)(?<!pr)(?<!proc)es|"
    r"sender|fremsender|udarbejder|laver|vender|kommer|melder|følger|sørger|inviterer|indkalder|undersøger|"
    r"afklarer|fremlægger|forelægger|giver|tager|kontakter|planlægger|gennemfører|udpeger|beskriver|opdaterer|"
    r"indarbejder|tilretter|færdiggør|afleverer|leverer|indsender|opretter|nedsætter|samler|igangsætter|"
    r"påbegynder|afholder|tilrettelægger|iværksætter|ønsker|opfordrer|beder|står|påtager|går|arbejder|deltager|"
    r"drøfter|behandler|genoptager|indhenter|afsøger|kortlægger|sikrer|oversender|godkender|peger|bakker|"
    r"nikker|tilslutter|anbefaler|vurderer|forventer)$"
)


def _starts_with_verb(text: str, start: int, end: int) -> bool:
    match = _TOKEN.search(text, start, end)
    if not match:
        return False
    word = match.group()
    if word.lower() in ("og", "samt", "men", "så"):
        match = _TOKEN.search(text, match.end(), end)
        word = match.group() if match else ""
    return bool(word) and _is_verb(word)


def _may_have_strong_boundary(text: str, start: int, end: int, words: list[Word]) -> bool:
    """A cheap look for what _STRONG_BOUNDARY needs: punctuation, a dash or an agreement word."""
    for mark in (",", ";", "–", "—", " - "):
        if text.find(mark, start, end) >= 0:
            return True
    return any(lower in _AGREEMENT_WORDS for _, _, lower in words)


def _noting(text: str, lowers: list[str], start: int, end: int) -> bool:
    """ "til efterretning", "godkender", "bakker op": the text notes or approves rather than commits."""
    if not any(lower.startswith(_NOTING_PREFIXES) for lower in lowers):
        return False
    return _NOTING.search(text, start, end) is not None


def _clause_around_in(context: _Context, start: int, end: int, deadline: Deadline) -> tuple[int, int]:
    """The clause that holds the date, walking back to one with a verb in it."""
    text = context.text
    segments = _segments(text, start, end, context.words(start, end))
    index = 0
    for position, (seg_start, _) in enumerate(segments):
        if seg_start <= deadline.start:
            index = position
    first = index
    while first > 0 and not context.scan(_VERBISH_SCAN, segments[first][0], deadline.start):
        first -= 1
    last_end = segments[index][1]
    if last_end < deadline.end:
        last_end = end
    return segments[first][0], max(last_end, deadline.end)


def _is_infinitive_clause(text: str, start: int, end: int) -> bool:
    """ "fremlægge en samlet plan …" (an infinitive), not "cheferne … skal opdatere" (a subject)."""
    match = _TOKEN.search(text, start, end)
    if match is None:
        return False
    word = match.group()
    lower = word.lower()
    if word[0].isupper() or not lower.endswith("e") or lower.endswith(("erne", "ene", "rne", "ne")):
        return False
    return lower not in _CAPITAL_STOP and _role_form(lower) not in ("role", "genitive")


def _short_period(deadline: Deadline) -> bool:
    """ "i starten af 2023", "2. halvår 2022": a year-level phrase that still names a few months."""
    if deadline.window_start is None or deadline.window_end is None:
        return False
    return (deadline.window_end - deadline.window_start).days <= 190


def _complement_clause(text: str, start: int, end: int) -> bool:
    """The segment is an "at" clause: "X sikrer, at alle anbefalinger udmøntes", "X har ansvaret for at informere"."""
    return bool(_AT_START.match(text, start, end)) or bool(_AT_END.search(text, max(0, start - 6), start))


def _external_subject(text: str, start: int, end: int) -> bool:
    """The clause is about what an outside party does ("loven skal udarbejdes", "KL …").

    Only the words before the first verb are read, one at a time: usually a few.
    """
    for match in _TOKEN.finditer(text, start, end):
        word = match.group()
        if _is_verb(word):
            return False
        if _external(word):
            before = text[start:match.start()].rstrip().rsplit(" ", 1)[-1].lower()
            if before not in _PREPOSITIONS:
                return True
    return False


def _is_relative_clause_modal(text: str, start: int, trigger: re.Match[str]) -> bool:
    """ "initiativer der skal forberede …" describes the initiatives; "Der skal udarbejdes …" commits."""
    if trigger.group().lower() not in ("skal", "vil", "må", "bør"):
        return False
    for match in _RELATIVE_MODAL.finditer(text, max(start, trigger.start() - 40), trigger.end()):
        if match.end() != trigger.end():
            continue
        noun = match["noun"].lower()
        if noun in _EXPLETIVE_BEFORE or noun in _MODAL_WORDS:
            return False
        return True
    return False


_MODAL_WORDS = {"skal", "vil", "må", "bør", "kan", "er", "blev", "bliver"}

# Words that open a subordinate clause; "om" only as "whether" (after a comma or a verb of asking).
_SUBORDINATORS = frozenset(
    "at hvorvidt hvordan hvorfor hvad hvilke hvilken hvilket hvor som fordi selvom mens".split()
)
_ASKING = frozenset("spurgte spørger spørge undersøge afklare overveje drøfte drøftede vurdere".split())
_INDIRECT_QUESTION = frozenset(("om", "hvorvidt", "hvordan", "hvorfor", "hvad", "hvilke", "hvilken"))
_MAIN_CLAUSE_BOUNDARY = re.compile(r"\s+[–—-]\s+|;\s+|,\s+(?:og|men|så)\s+")
# A main clause with one of these makes what follows a commitment ("besluttede, at der nedsættes …").
_GOVERNOR_PREFIXES = ("aftal", "beslut", "vedtag", "anmod", "opfordr", "pålæg")
_GOVERNOR_WORDS = frozenset(
    "vedtog ønske ønsker ønskes ønsket ønskede beder bad pålagde sikre sikrer sikres sørge sørger sørges "
    "forudsætter enige indstiller anbefaler foreslår skal vil må bør".split()
)
# A main clause with one of these reports, judges or asks: what follows is its content, not a promise.
_REPORTING_WORDS = frozenset(
    "vurderer vurderede mener mente forventer forventede skønner skønnede antager antog finder fandt konstaterer "
    "konstaterede oplyser oplyste fortæller fortalte bemærker bemærkede påpeger påpegede understreger understregede "
    "fremhæver fremhævede anerkender anerkendte noterer noterede spurgte spørger undrer undrede orienterer "
    "orienterede redegjorde nævnte sagde siger glæder glædede positivt negativt".split()
)


def _reporting(lower: str) -> bool:
    return lower in _REPORTING_WORDS or lower.startswith("tilfreds")


def _in_uncommitted_clause(text: str, start: int, trigger: re.Match[str], words: list[Word]) -> bool:
    """Is the trigger inside a subordinate clause that reports, asks or describes rather than commits?

    "Rådet finder det positivt, at ventetiden nedsættes", "Susanne spurgte, om
    lokalrådet skal have …", "Dagsordenen blev godkendt med den tilføjelse, at
    punkt 5 behandles før punkt 4", "… rengøring, hvor hjælpen fremover gives
    hver tredje uge". A modal verb under a plain main clause still commits
    ("Chefforum peger på, at man skal afsøge …"), and so does anything under
    an agreement, a decision, a request or a wish.
    """
    trigger_start = trigger.start()
    last: Word | None = None
    previous = ""
    previous_end = start
    for word in words:
        word_start, word_end, lower = word
        if word_start >= trigger_start:
            break
        if lower in _SUBORDINATORS:
            last = word
        elif lower == "om" and (previous in _ASKING or "," in text[previous_end:word_start]):
            last = word
        previous, previous_end = lower, word_end
    if last is None:
        return False
    if _MAIN_CLAUSE_BOUNDARY.search(text, last[1], trigger_start):
        return False  # "…, som kan lade sig gøre – Katrine kommer med bud": a new main clause
    if not text[start:last[0]].strip(" ,\n\t-–•*"):
        return False  # the sentence opens with the subordinate clause: "Når planen er klar, sender …"
    main = [lower for word_start, _, lower in words if word_start < last[0]]
    if last[2] in _INDIRECT_QUESTION or any(_reporting(lower) for lower in main):
        return True
    if trigger.group().split(None, 1)[0].lower() in _MODAL_WORDS:
        return False
    return not any(lower in _GOVERNOR_WORDS or lower.startswith(_GOVERNOR_PREFIXES) for lower in main)


_BOUNDARY_WORDS = frozenset(("at", "men", "og"))


def _weak_boundaries(
    text: str, start: int, end: int, words: list[Word] | None = None, first_only: bool = False
) -> list[re.Match[str]]:
    """The clause boundaries of _WEAK_BOUNDARY in text[start:end], left to right, without overlap.

    The pattern is tried only where one can begin: at a comma, semicolon or
    colon, or at the spaces before a dash or before "at", "men", "og"
    (trying it at every character is what made this slow).
    """
    candidates = []
    for mark in (",", ";", ":", "–", "—", "-"):
        index = text.find(mark, start, end)
        while index >= 0:
            candidates.append(index if mark in ",;:" else _space_before(text, index, start))
            index = text.find(mark, index + 1, end)
    for word_start, _, lower in words if words is not None else _words_of(text, start, end):
        if lower in _BOUNDARY_WORDS:
            candidates.append(_space_before(text, word_start, start))
    candidates.sort()
    found: list[re.Match[str]] = []
    position = start
    for candidate in candidates:
        if candidate < position:
            continue
        match = _WEAK_BOUNDARY.match(text, candidate, end)
        if match:
            found.append(match)
            if first_only:
                break
            position = match.end()
    return found


def _space_before(text: str, index: int, floor: int) -> int:
    """Where the run of spaces before ``index`` begins (the boundary starts with it)."""
    while index > floor and text[index - 1].isspace():
        index -= 1
    return index


def _next_boundary(text: str, position: int, limit: int, words: list[Word] | None = None) -> int:
    found = _weak_boundaries(text, position, limit, words, first_only=True)
    return found[0].start() if found else limit


def _first_boundary(text: str, start: int, end: int) -> tuple[int, int] | None:
    found = _weak_boundaries(text, start, end, first_only=True)
    match = found[0] if found else _OG.search(text, start, end)
    return match.span() if match else None


def _segments(text: str, start: int, end: int, words: list[Word] | None = None) -> list[tuple[int, int]]:
    segments = []
    position = start
    for match in _weak_boundaries(text, start, end, words):
        if text[match.start()] == "," and _ENUMERATION.match(text, match.end()) and _CAPITALISED_BEFORE.search(
            text, max(start, match.start() - 40), match.start()
        ):
            continue  # "Direktøren for By, Kultur, Miljø og Beskæftigelse": one name, not two clauses
        if match.start() > position:
            segments.append((position, match.start()))
        position = match.end()
    if position < end:
        segments.append((position, end))
    return segments or [(start, end)]


# "Opfølgning: Anne indkalder …": the label is not part of what is to be done.
_LEADING_LABEL = re.compile(
    r"(?i:opfølgning|konklusion|beslutning|aftale|aftalt|handling|action|to\s*do)[ \t]*:[ \t]*(?=\S)"
)


def _tidy_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim spaces, list markers, a leading conjunction and trailing commas."""
    while start < end and text[start] in " \t\n\u00a0":
        start += 1
    marker = _UNIT_MARKER.match(text, start, end)
    if marker and marker.end() > start:
        start = marker.end()
    label = _LEADING_LABEL.match(text, start, end)
    if label and label.end() < end:
        start = label.end()
    conjunction = _LEADING_CONJUNCTION.match(text, start, end)
    if conjunction:
        start = conjunction.end()
    while end > start and text[end - 1] in " \t\n\u00a0,;:–-":
        end -= 1
    trailing = _TRAILING_CONJUNCTION.search(text, start, end)
    if trailing and trailing.start() > start:
        end = trailing.start()
    return start, end


# --- sentence segmentation ----------------------------------------------------


def _units(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Paragraphs and list entries of a section.

    A paragraph is a run of non-blank lines (PDF text wraps lines inside a
    paragraph); a line starting with a list marker or a table row starts a
    new unit.
    """
    units: list[tuple[int, int]] = []
    for block_start, block_end in _split(text, start, end, _BLANK_LINE):
        for unit in _split(text, block_start, block_end, _LIST_START):
            if text.find("\t", unit[0], unit[1]) >= 0:
                # A table from a Word file: each row is a unit of its own.
                units.extend(_split(text, unit[0], unit[1], _NEWLINE))
            else:
                units.append(unit)
    return units


def _unit_around(text: str, start: int, end: int, position: int) -> tuple[int, int]:
    """The paragraph or list entry holding ``position``, without reading the rest of the section."""
    # Walk back line by line to the blank line that opens the paragraph.
    block_start = start
    line_end = position
    while True:
        newline = text.rfind("\n", start, line_end)
        if newline < 0:
            break
        previous = text.rfind("\n", start, newline)
        line_start = previous + 1 if previous >= 0 else start
        if not text[line_start:newline].strip():
            block_start = newline + 1
            break
        line_end = newline
    following = _BLANK_LINE.search(text, position, end)
    block_end = following.start() if following else end
    for unit_start, unit_end in _split(text, block_start, block_end, _LIST_START):
        if unit_start <= position < unit_end:
            if text.find("\t", unit_start, unit_end) >= 0:
                line_start = text.rfind("\n", unit_start, position) + 1 or unit_start
                line_end = text.find("\n", position, unit_end)
                return max(line_start, unit_start), unit_end if line_end < 0 else line_end
            return unit_start, unit_end
    return block_start, block_end


def _unit_sentences(text: str, unit_start: int, unit_end: int) -> list[_Sentence]:
    """Sentences of one unit; a label prefix such as "Frisættelse: " is left out."""
    marker = _UNIT_MARKER.match(text, unit_start, unit_end)
    body_start = marker.end() if marker else unit_start
    label = _LABEL.match(text, body_start, unit_end)
    if label and len(label.group(1).split()) <= 6:
        body_start = label.end()
    return [
        _Sentence(s_start, s_end)
        for s_start, s_end in _split_sentences(text, body_start, unit_end)
    ]


_RELATIVE_CLAUSE = re.compile(r",\s*(?:der|som|hvor|hvis|når|hvilket)\b", re.IGNORECASE)


def _main_clause_end(text: str, position: int, end: int) -> int:
    """Where a relative or subordinate clause after ``position`` begins, or ``end``."""
    found = _RELATIVE_CLAUSE.search(text, position, end)
    return found.start() if found else end


# Periods that recur every year, so that "next year's" is the same words.
_YEARLY_PRECISIONS = frozenset({"month", "month_part", "quarter", "season", "year"})
_HAS_DIGIT_YEAR = re.compile(r"(?:19|20)\d\d|['’]\d\d")


def _year_later(day: date) -> date | None:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _may_commit(raw: str, lowers: list[str]) -> bool:
    """A cheap first look before the full trigger patterns run."""
    if not _TRIGGER_FIRST_WORDS.isdisjoint(lowers):
        return True
    for lower in lowers:
        if lower.endswith(("es", "erer")):
            return True
    return _SUBJECT_VERB.match(raw) is not None


def _split(text: str, start: int, end: int, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    parts = []
    position = start
    for match in pattern.finditer(text, start, end):
        parts.append((position, match.start()))
        position = match.end()
    parts.append((position, end))
    return [(s, e) for s, e in parts if e > s]


def _split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    parts = []
    position = start
    for match in _SENTENCE_END.finditer(text, start, end):
        stop = match.start()
        if text[stop] == "." and (_is_abbreviation(text, position, stop) or _is_ordinal(text, stop)):
            continue
        parts.append((position, stop + len(match.group().rstrip())))
        position = match.end()
    parts.append((position, end))
    # Trim whitespace at both ends; a line break inside a sentence stays.
    trimmed = []
    for s, e in parts:
        chunk = text[s:e]
        stripped = chunk.strip()
        if stripped:
            first = s + len(chunk) - len(chunk.lstrip())
            trimmed.append((first, first + len(stripped)))
    return trimmed


def _is_abbreviation(text: str, sentence_start: int, period: int) -> bool:
    # Only the last few characters can hold an abbreviation: looking further back for the
    # start of the word would read a long sentence again at every full stop in it.
    lo = max(sentence_start, period - _LONGEST_ABBREVIATION)
    word_start = max(
        text.rfind(" ", lo, period), text.rfind("\n", lo, period), text.rfind("\t", lo, period),
        text.rfind("(", lo, period), text.rfind('"', lo, period),
    ) + 1
    word_start = max(word_start, lo)
    word = text[word_start:period]
    if len(word) > 1 and word.isupper():
        return False  # "KL." ends a sentence; "kl." is o'clock
    if len(word) == 1 and word.isupper() and word_start >= 2:
        # "Hans C. Andersen" is an initial; "ved blok A. Forslaget …" ends a sentence.
        previous = text[max(sentence_start, word_start - 30):word_start - 1].rsplit(None, 1)
        return bool(previous) and previous[-1][:1].isupper()
    word = word.lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


_LONGEST_ABBREVIATION = 12


def _is_ordinal(text: str, period: int) -> bool:
    """A day number before the period is no sentence end after "den"/"d." ("den 3. Marts") or before a
    month written with a capital ("klar 29. August")."""
    position = period
    while position > 0 and text[position - 1].isdigit():
        position -= 1
    if not 0 < period - position <= 2:
        return False
    if _ORDINAL_LEAD.search(text[max(0, position - 6):position]) is not None:
        return True
    return _MONTH_AFTER.match(text, period + 1) is not None


_ORDINAL_LEAD = re.compile(r"(?:\bden|\bd\.)\s*$", re.IGNORECASE)
_MONTH_AFTER = re.compile(r"[ \t\xa0]*(?i:" + "|".join(sorted(MONTH_WORDS, key=len, reverse=True)) + r")\b")
