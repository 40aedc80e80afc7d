"""The default IPR codebook (SPEC §8): themes of micro-process moments, written for coders.

Themes group codes and are not applied directly; codes are. Colours follow the
Okabe–Ito palette (distinguishable with common colour-vision deficiencies), one
hue per theme; shortcuts are the digits for the first ten codes and Alt+digit
for the rest, in codebook order.
"""

from __future__ import annotations

from coding.codebook import CodeSpec

_THEMES: list[dict] = [
    {
        "name": "Initial fear and shame",
        "color": "#E69F00",
        "definition": (
            "Moments, usually early in therapy or before a disclosure, when the client "
            "anticipates danger in the relationship: fear of being judged, rejected or "
            "overwhelmed, and shame about who they are or what they have to say."
        ),
        "codes": [
            {
                "name": "Fear and anxiety",
                "color": "#E69F00",
                "definition": (
                    "The client describes or shows apprehension about the session, the "
                    "therapist or what might happen if they speak: nervousness, dread, "
                    "bracing, wanting to escape, physical signs of anxiety."
                ),
                "inclusion": (
                    "Explicit statements of fear or worry ('I was terrified you'd think…'); "
                    "recalled bodily anxiety at that moment (racing heart, tight chest); "
                    "anticipating a negative reaction from the therapist."
                ),
                "exclusion": (
                    "Fear about life outside therapy that is not felt in the session "
                    "relationship (code only the in-session experience); shame about the "
                    "self (use Shame and feeling unworthy)."
                ),
                "example": (
                    "C: When you asked about my father my heart was pounding, I thought if "
                    "I say it you'll look at me differently."
                ),
            },
            {
                "name": "Shame and feeling unworthy",
                "color": "#F5C266",
                "definition": (
                    "The client experiences themselves as bad, defective, embarrassing or "
                    "undeserving of help, and wants to hide; the focus is on the self "
                    "rather than on a threat."
                ),
                "inclusion": (
                    "Embarrassment, humiliation, self-disgust, 'I shouldn't be taking up "
                    "your time', hiding the face or averting gaze because of self-judgement."
                ),
                "exclusion": (
                    "Guilt about a specific act without a global self-judgement; fear of "
                    "the therapist's reaction without self-condemnation (use Fear and anxiety)."
                ),
                "example": (
                    "C: I felt so stupid crying about something that small. Who am I to "
                    "need this."
                ),
            },
        ],
    },
    {
        "name": "Safety",
        "color": "#56B4E9",
        "definition": (
            "The client's felt sense that the therapy relationship and setting are safe "
            "enough to be open in, and how that sense builds."
        ),
        "codes": [
            {
                "name": "Growing sense of safety",
                "color": "#56B4E9",
                "definition": (
                    "A moment in which the client notices trust or ease increasing: "
                    "feeling accepted, not judged, calmer, able to say more than before."
                ),
                "inclusion": (
                    "Recalled relief after the therapist's response; 'I realised I could "
                    "tell her'; relaxing, slowing down, feeling held."
                ),
                "exclusion": (
                    "Safety attributed to the rules of the setting (use Frame and "
                    "confidentiality as safety); a decision to disclose fully (use Leap "
                    "of faith)."
                ),
                "example": (
                    "C: She didn't flinch. That's when something in me settled, I thought "
                    "okay, maybe this is a place where I can say things."
                ),
            },
            {
                "name": "Frame and confidentiality as safety",
                "color": "#A6D8F4",
                "definition": (
                    "Safety that comes from the structure of therapy: confidentiality, "
                    "boundaries, fixed time and place, the therapist's professional role."
                ),
                "inclusion": (
                    "References to 'it stays in this room', knowing the session has an end, "
                    "the therapist being outside the client's social world, clear rules."
                ),
                "exclusion": (
                    "Safety that comes from the person of the therapist or a specific "
                    "response (use Growing sense of safety or a Real relationship code)."
                ),
                "example": (
                    "C: Knowing you can't tell anyone, and that I walk out at ten to, made "
                    "it possible to start."
                ),
            },
        ],
    },
    {
        "name": "Going all in",
        "color": "#009E73",
        "definition": (
            "The turning point where the client stops holding back and commits to the "
            "work: disclosing what had been withheld, or dropping defences in the moment."
        ),
        "codes": [
            {
                "name": "Leap of faith",
                "color": "#009E73",
                "definition": (
                    "The client decides to disclose fully, despite fear, without knowing "
                    "how the therapist will respond: a deliberate risk."
                ),
                "inclusion": (
                    "'I thought, it's now or never'; telling something never told before; "
                    "recalled decision point just before a disclosure."
                ),
                "exclusion": (
                    "Gradual loosening without a decision (use Letting the guard down); "
                    "disclosures the client describes as easy or routine."
                ),
                "example": (
                    "C: I just jumped. I said it out loud — the whole thing — and then I "
                    "waited to see what you would do."
                ),
            },
            {
                "name": "Letting the guard down",
                "color": "#66C5AB",
                "definition": (
                    "Defences soften in the moment: the client stops performing, "
                    "intellectualising or managing the therapist and lets feelings show."
                ),
                "inclusion": (
                    "Crying that is allowed rather than suppressed; dropping humour used as "
                    "deflection; 'I stopped trying to say the right thing'."
                ),
                "exclusion": (
                    "A deliberate decision to disclose (use Leap of faith); feeling safer "
                    "without a change in defences (use Growing sense of safety)."
                ),
                "example": (
                    "C: Normally I'd make a joke there. I didn't. I just let it be sad."
                ),
            },
        ],
    },
    {
        "name": "Real relationship",
        "color": "#CC79A7",
        "definition": (
            "The person-to-person bond between client and therapist beyond their roles: "
            "genuineness and realistic perception of each other (Gelso)."
        ),
        "codes": [
            {
                "name": "Genuineness",
                "color": "#CC79A7",
                "definition": (
                    "Either person experiences the other as authentic, transparent and "
                    "not hiding behind technique or a professional mask."
                ),
                "inclusion": (
                    "'He meant it'; the therapist sharing a real reaction; the client "
                    "noticing congruence between words and manner."
                ),
                "exclusion": (
                    "Warmth or humour without a sense of authenticity (use Shared humour "
                    "and warmth); technical skill (use Skill experienced relationally)."
                ),
                "example": (
                    "C: When you said 'that sounds awful' it wasn't a therapist line, you "
                    "actually looked upset for me."
                ),
            },
            {
                "name": "Shared humour and warmth",
                "color": "#E0AFCA",
                "definition": (
                    "Moments of laughter, lightness, affection or kindness shared by both, "
                    "experienced as connecting."
                ),
                "inclusion": (
                    "Laughing together; gentle teasing that lands well; warmth in tone "
                    "that the participant remarks on."
                ),
                "exclusion": (
                    "Humour used to deflect or avoid (consider Letting the guard down "
                    "when it is dropped, Rupture when it misfires)."
                ),
                "example": (
                    "T: We both laughed at the parking story and I felt the room warm up."
                ),
            },
            {
                "name": "Person-to-person contact",
                "color": "#B0527F",
                "definition": (
                    "A felt meeting of two people: being seen as a person rather than a "
                    "case, or seeing the therapist as a person rather than a role."
                ),
                "inclusion": (
                    "'For a moment we were just two people'; mutual recognition; moments "
                    "of eye contact or silence described as meeting."
                ),
                "exclusion": (
                    "Agreement on goals or tasks (use Working alliance codes); general "
                    "liking without a moment of contact."
                ),
                "example": (
                    "T: There was a silence where I felt she really saw me, and I saw her."
                ),
            },
        ],
    },
    {
        "name": "Working alliance",
        "color": "#0072B2",
        "definition": (
            "The collaborative side of the relationship (Bordin): agreement on the goals "
            "of therapy, on the tasks that will get there, and the bond that carries it."
        ),
        "codes": [
            {
                "name": "Agreement on goals",
                "color": "#0072B2",
                "definition": (
                    "Client and therapist share (or negotiate) what therapy is for: the "
                    "outcomes they are working towards."
                ),
                "inclusion": (
                    "Naming or confirming a shared aim; the participant recalling feeling "
                    "'we want the same thing'."
                ),
                "exclusion": (
                    "Agreement about how to work (use Agreement on tasks); disagreement "
                    "about goals that strains the relationship (use Rupture)."
                ),
                "example": (
                    "C: When we said the goal is to stop dreading Mondays, I thought yes, "
                    "that's it exactly."
                ),
            },
            {
                "name": "Agreement on tasks",
                "color": "#5C9FD1",
                "definition": (
                    "Shared acceptance of the activities of therapy: exercises, homework, "
                    "ways of talking, what to focus on in the session."
                ),
                "inclusion": (
                    "Accepting a proposed exercise; agreeing to stay with a feeling; "
                    "negotiating the focus of a session."
                ),
                "exclusion": (
                    "Agreement on outcomes (use Agreement on goals); going along with a "
                    "task while privately objecting (consider Rupture)."
                ),
                "example": (
                    "T: She nodded when I suggested we slow down and stay with the image, "
                    "and I could tell she was on board."
                ),
            },
            {
                "name": "Bond",
                "color": "#005080",
                "definition": (
                    "Mutual trust, liking and confidence in the collaboration as a working "
                    "partnership."
                ),
                "inclusion": (
                    "'I trust her to know where we're going'; the therapist feeling "
                    "committed to this client; confidence in the joint work."
                ),
                "exclusion": (
                    "Person-to-person meeting beyond roles (use Real relationship codes); "
                    "safety from the setting (use Frame and confidentiality as safety)."
                ),
                "example": "C: I felt like we were a team on this.",
            },
        ],
    },
    {
        "name": "Rupture and repair",
        "color": "#D55E00",
        "definition": (
            "Strains or breakdowns in the collaboration or the bond, and how they are "
            "addressed (Safran and Muran)."
        ),
        "codes": [
            {
                "name": "Rupture",
                "color": "#D55E00",
                "definition": (
                    "A moment of tension or disconnection: withdrawal (going quiet, "
                    "complying, changing the subject) or confrontation (complaint, "
                    "irritation, criticism of the therapist or therapy)."
                ),
                "inclusion": (
                    "Feeling misunderstood or pushed; a recalled inner 'no' not voiced; "
                    "the therapist noticing the client pull away."
                ),
                "exclusion": (
                    "Anxiety about disclosure without strain in the relationship (use Fear "
                    "and anxiety); the repair itself (use Repair)."
                ),
                "example": (
                    "C: When you said I was avoiding it I went cold. I answered, but I'd "
                    "left the room in my head."
                ),
            },
            {
                "name": "Repair",
                "color": "#EB9A66",
                "definition": (
                    "The rupture is noticed and worked through: acknowledged, explored, "
                    "apologised for or resolved, restoring collaboration."
                ),
                "inclusion": (
                    "The therapist checking in about a reaction; owning a misstep; the "
                    "client feeling reconnected after naming the strain."
                ),
                "exclusion": (
                    "A rupture that is not addressed (use Rupture only); ordinary "
                    "clarification without prior strain."
                ),
                "example": (
                    "T: I said 'I think I lost you just now' and she said yes, and we "
                    "talked about it. After that she came back."
                ),
            },
        ],
    },
    {
        "name": "Therapist contribution",
        "color": "#7A6A00",
        "definition": (
            "What the therapist does, as experienced in the relationship, that shapes "
            "the moment: attunement, adaptation, and skill that is felt as care."
        ),
        "codes": [
            {
                "name": "Nonverbal attunement",
                "color": "#7A6A00",
                "definition": (
                    "The therapist's tone, pace, posture, facial expression or silence "
                    "matches the client's state and is experienced as understanding."
                ),
                "inclusion": (
                    "Slowing down and softening the voice; leaning in; allowing a silence; "
                    "the client noticing the therapist's face or breathing."
                ),
                "exclusion": (
                    "Verbal content of an intervention (use Skill experienced relationally "
                    "or Adapting to the client)."
                ),
                "example": (
                    "C: You didn't say anything, you just waited, and your face was kind. "
                    "That was what I needed."
                ),
            },
            {
                "name": "Adapting to the client",
                "color": "#B3A24D",
                "definition": (
                    "The therapist changes approach, pace or plan in response to this "
                    "client at this moment, and this is noticed by either participant."
                ),
                "inclusion": (
                    "Dropping a planned exercise; following the client's lead; the "
                    "therapist recalling deciding to change course."
                ),
                "exclusion": (
                    "Repair after a rupture (use Repair); skilled technique applied as "
                    "planned (use Skill experienced relationally)."
                ),
                "example": (
                    "T: I had meant to go back to the list, but she was somewhere else, so "
                    "I let the list go."
                ),
            },
            {
                "name": "Skill experienced relationally",
                "color": "#4D4300",
                "definition": (
                    "A technique or intervention (reflection, interpretation, exercise) "
                    "that the client experiences as personal care rather than as method."
                ),
                "inclusion": (
                    "'The way you summed it up made me feel understood'; an interpretation "
                    "that lands as being known."
                ),
                "exclusion": (
                    "Interventions described only technically, without relational "
                    "experience; nonverbal attunement (use Nonverbal attunement)."
                ),
                "example": (
                    "C: When you put it into words like that, it was like you'd been inside "
                    "my head with me."
                ),
            },
        ],
    },
]


def _shortcut(index: int) -> str | None:
    digits = "1234567890"
    if index < 10:
        return digits[index]
    if index < 20:
        return f"Alt+{digits[index - 10]}"
    return None


def default_codebook() -> list[CodeSpec]:
    """The default IPR codebook as specs: themes (not codable) holding codes."""
    themes = []
    position = 0
    for theme in _THEMES:
        codes = []
        for code in theme["codes"]:
            codes.append(
                CodeSpec(
                    name=code["name"],
                    definition=code["definition"],
                    inclusion=code["inclusion"],
                    exclusion=code["exclusion"],
                    example=code["example"],
                    color=code["color"],
                    shortcut=_shortcut(position),
                )
            )
            position += 1
        themes.append(
            CodeSpec(
                name=theme["name"],
                definition=theme["definition"],
                color=theme["color"],
                codable=False,
                children=tuple(codes),
            )
        )
    return themes
