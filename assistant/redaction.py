"""Redaction of what identifies a person in a practitioner's question, before the question may reach a log.

Questions may name children and their families. Emails, UK phone numbers, NHS numbers, postcodes, street
addresses and cued dates of birth have shapes a pattern finds. Names do not, and no NER model is available
offline, so names are found by a heuristic that prefers redacting a word to leaking one:

- a capitalised word is a name unless it is a known word (function words, the domain's agencies, roles,
  processes and documents, days, months, common words practitioners type), wherever it stands, so the
  first word of a sentence too ("Jayden has bruises"); "Will" is a name except at the start;
- a lowercase word is a name after a cue: "named"/"called"/"known as" X, Mr/Mrs/Dr X, X's mum, X aged 7,
  X (7), child/baby/son/pupil/boyfriend X, or beside another lowercase name ("jayden mcfarlane");
- a few hundred common UK given names and surnames are names in any case ("worried about jayden", "SMITH");
- an initial or an unknown word in capitals beside a name joins it ("J Smith", "Kelly SMITH").

Acronyms (RPD, MASH, LADO) and ordinary lowercase words are kept, so a redacted question still says what was
asked about; place names and organisations that are not on the lists (Taunton, Westfield Academy) are
over-redacted as [name]. What it cannot catch: a lowercase name with no cue that is not on the list ("about
kaiden" — "kaiden's mum" is caught), a name that is also a known word ("May", "April", "Young", "Foster"),
single initials ("J.S."), and dates other than birth dates. `known_words` adds words that are never names.
"""

from __future__ import annotations

import re
from collections.abc import Collection

NAME = "[name]"
PLACEHOLDERS = ("[email]", "[phone]", "[nhs-number]", "[postcode]", "[address]", "[date-of-birth]", NAME)

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)
# A date after DOB / date of birth / born, or a full date in brackets ("Jayden (03/04/2019)"): a birth date.
DATE_OF_BIRTH = re.compile(
    rf"(?P<cue>\b(?:d\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth|born(?:\s+on)?|birthday(?:\s+is)?)\s*[:\-–]?\s*)"
    rf"(?P<date>{_DATE})(?!\d)"
    rf"|(?<=\()\s*(?P<bracketed>\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{4}})(?=\s*\))",
    re.IGNORECASE,
)
# NHS numbers: any 10-digit run, often written 3-3-4 with spaces or dashes (no checksum test).
NHS_NUMBER = re.compile(r"(?<![\d+])\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)")
# UK phone numbers: +44 / 0044 (with an optional "(0)") or 0, then 9-10 digits in all (0 forms: 10-11),
# grouped by spaces, dashes, dots or brackets. "0-19 service", years and section numbers are too short.
PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)\d(?:[\s().-]{0,2}\d){8,9}(?!\d)")
# UK postcodes ("LS1 4AP", "sw1a1aa"); not "KS2 3rd" (an ordinal is not an inward code).
POSTCODE = re.compile(
    r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s*(?!\d(?:st|nd|rd|th)\b)\d[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE
)
_STREET = (
    r"Road|Rd|Street|St|Avenue|Ave|Lane|Close|Drive|Way|Crescent|Court|Place|Gardens|Terrace|Grove|Walk|Hill"
    r"|Park|View|Mews|Square|Row|Green|Rise|Mead|Meadows?|Parade|Vale|Estate|Lea|Fields?"
)
ADDRESS = re.compile(rf"\b\d{{1,4}}[A-Za-z]?,?\s+(?:[A-Z][\w'’-]*\s+){{1,3}}(?:{_STREET})\b\.?")
# Typed in lowercase, only with street words that are not also everyday words ("27 church street").
ADDRESS_LOWERCASE = re.compile(
    r"\b\d{1,4}[a-z]?,?\s+(?:[a-z][\w'’-]*\s+){1,3}(?:road|street|avenue|crescent|terrace|gardens|grove|mews|lane)\b"
)

# A word: letters with inner apostrophes or hyphens ("O'Brien", "Anne-Marie", "Children's"); placeholders
# already written are single tokens so that nothing inside them is looked at again.
_TOKEN = re.compile(
    "|".join(re.escape(p) for p in PLACEHOLDERS) + r"|(?P<word>[^\W\d_]+(?:['’-][^\W\d_]+)*)"
)
_POSSESSIVE = re.compile(r"(?:['’]s|s['’])$", re.IGNORECASE)
_CONTRACTION = re.compile(r"['’](?:m|ve|d|ll|re|t)$", re.IGNORECASE)
_AGE_AFTER = re.compile(
    r"\s*(?:\(\s*(?:aged?\s*)?\d{1,2}\s*(?:yo|y/o|yrs?|years?(?:\s+old)?|months?)?\s*\)"
    r"|,?\s+aged?\s+\d{1,2}\b"
    r"|,\s*\d{1,2}\s*(?:,|\)|yo\b|y/o|yrs?\b|years?\b|months?\b)"
    r"|\s+\d{1,2}\s*(?:yo|y/o|yrs?|years?\s+old)\b"
    r"|\s*\(\s*(?:dob|d\.o\.b|born)\b)",
    re.IGNORECASE,
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words, pronouns, auxiliaries, greetings: never names (but see "will" in _is_name).
STOPWORDS = _words(
    """
    a about above after again against all also although always am among an and another any anybody anyone
    anything are around as at away be because been before behind being below beside besides between both but
    by can cannot could despite did do does doing done down during each either else enough even ever every
    has have had having get gets got
    everybody everyone everything except few for from further hence her here hers herself him himself his how
    however i if in inside instead into is it its itself just least less like many may me might mine more most
    much must my myself neither never no nobody none nor not nothing now of off often on once one ones only
    onto or other others otherwise ought our ours ourselves out outside over own per please quite rather same
    several shall she should since so some somebody someone something sometimes somewhere soon still such than
    that the their theirs them themselves then there thereby therefore these they this those though through
    throughout thus till to too toward towards under unless until unlike up upon us usually very via was we
    were what whatever when whenever where whereas wherever whether which while who whoever whom whose why will
    with within without would yet you your yours yourself yourselves
    i'm i've i'd i'll don't doesn't didn't can't won't isn't aren't wasn't weren't haven't hasn't hadn't
    shouldn't wouldn't couldn't mustn't needn't let's
    hi hello hey dear thanks thank cheers ok okay yes yeah no sorry re fyi fao asap etc eg ie vs nb ps
    mr mrs ms miss mx dr prof
    """
)

# Words that are legitimately capitalised in this domain, or typed in Title Case: agencies, roles,
# processes, documents, the law, school words, places, days and months.
DOMAIN_WORDS = _words(
    """
    police constabulary nhs gp gps surgery practice hospital hospitals a&e ae ed ambulance paramedic
    camhs cahms mash lado lados lscp lscps sscp scp lsp lsps lscb lscbs cafcass ofsted cqc hmicfrs hmi
    nspcc barnardo barnardos barnardo's childline ceop iwf ukcis dfe dhsc moj mod dwp ons
    home office government department ministry council councils county city district borough authority
    authorities la las csc cs ics icb icbs trust trusts probation youth justice yot yots yjs yos
    service services housing academy academies school schools college colleges nursery nurseries
    university pru prus hub hubs centre centres center team teams unit units board boards panel panels
    partnership partnerships partner partners forum group groups committee court courts tribunal
    cps crown prosecution prison prisons hmpps mappa marac maracs idva idvas isva isvas sarc refuge
    aid samaritans kooth papyrus nacoa childrens children's social care worker workers
    dsl ddsl dsls dsp dsps lead leads officer officers manager managers head heads headteacher headteachers
    teacher teachers tutor tutors senco sencos sendco nurse nurses nursing midwife midwives midwifery
    visitor visitors visiting hv hvs doctor doctors paediatrician paediatricians paediatric consultant
    clinician clinicians therapist counsellor psychologist psychiatrist practitioner practitioners
    professional professionals iro iros advocate advocacy chair chairs coordinator co-ordinator director
    directors dcs commissioner commissioners inspector inspectors sergeant constable pc pcso dc ds detective
    judge magistrate magistrates guardian guardians carer carers foster fostering kinship adopter adopters
    adoption governor governors trustee trustees volunteer volunteers staff colleague colleagues supervisor
    safeguarding safeguard safeguards child children young people person persons adult adults family families
    protection protect protecting plan plans cp cpp cpps cin cla lac care leaver leavers looked after
    conference conferences icpc rcpc strategy meeting meetings discussion discussions section sections
    s11 s17 s20 s31 s47 referral referrals refer assessment assessments single early help eha eh caf taf tac
    threshold thresholds document documents guidance guide procedure procedures policy policies protocol
    protocols toolkit toolkits tool tools framework frameworks graded gcp gcp2 profile neglect abuse abused
    harm harms significant risk risks need needs emotional physical sexual sexually criminal exploitation
    exploited cse cce csa hsb fgm hba forced marriage modern slavery trafficking trafficked nrm county lines
    gang gangs prevent channel radicalisation extremism online internet domestic violence da dv dva coercive
    control controlling substance misuse alcohol drug drugs mental health wellbeing well-being self self-harm
    suicide suicidal bruise bruises bruising non-mobile sudi sids icon abusive trauma injury injuries
    fabricated induced illness fii missing education exclusion excluded attendance elective home ehe private
    special educational disabilities disability disabled send sen ehcp ehcps ehc statutory non-statutory
    review reviews reviewing rapid lcspr lcsprs cspr csprs scr scrs dhr dhrs cdop ndop learning lessons
    national local annual report reports bulletin briefing briefings training course courses module level
    levels information sharing consent gdpr dpa data confidentiality escalation escalate resolving
    resolution differences disagreement rpd rpds whistleblowing allegation allegations managing position dbs
    barring disclosure safer recruitment keeping safe kcsie working together wt act acts chapter chapters
    annex appendix paragraph page schedule regulation regulations article articles un uncrc convention
    rights human equality multi multi-agency agency agencies inter-agency joint targeted area inspection
    inspections jtai serious incident notification notifications audit audits signs safety strengthening
    strengths supporting troubled start life operation encompass virtual pep pathway order orders
    emergency epo supervision arrangements guardianship public law outline plo pre-proceedings proceedings
    letter before contextual honour based peer peer-on-peer child-on-child harmful behaviour behaviours
    sexting nudes image images grooming bullying cyberbullying hate crime crimes offence offences offending
    offender offenders sex registered register dangerous vulnerable vulnerability exploitation's
    missing-from-home runaway return interview interviews achieving best evidence abe abh gbh
    year years reception nursery ks1 ks2 ks3 ks4 key primary secondary sixth form fe he gcse gcses a-level
    a-levels pupil pupils student students class classroom deputy designated assistant
    interpreter language asylum seeking seeker seekers refugee refugees unaccompanied migrant uasc
    parenting parent corporate sufficiency placement placements residential secure children's homes
    homelessness homeless temporary accommodation benefits universal credit poverty
    england wales scotland ireland northern britain british english welsh scottish irish uk gb europe
    european somerset
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec christmas easter half-term half term
    covid covid-19 coronavirus lockdown
    state secretary independent post providers provider standards standard chief security death deaths
    relevant skills non executives executive integrated grid teaching dashboard transport system overview
    code female male genital mutilation society sector cyber crisis advisory programme screening access
    principles relationships relationship rape survivors sentencing expertise members member quality
    disorder operational champion impact medical strategic licence alternative matters matter network
    minimum promoting freedoms funding royal database jobcentre jobcentres scrutineer focus directorate
    governance task cruelty charity inspectorate force enhanced alliance choices counter co employer
    maternal delivery mortality foreign leaders leader performance stage anti content personal advisor
    advisors adviser certificate childcare kingdom hiring handbook helpline fund core tackling resources
    resource border borders custody reform responsible fire rescue defence capacity mailbox commonwealth
    nice unicef scrutiny concepts effective trained roundtable outstanding requires improvement inadequate
    welfare privacy advanced update updates gillick caldicott competence competent st saint landline
    pre post inter sub mid ordinator follow-up premium childminder childminders minder nhs-number
    polish romanian albanian arabic urdu punjabi bengali somali pashto dari farsi kurdish tigrinya ukrainian
    russian lithuanian latvian portuguese spanish french german italian chinese mandarin cantonese vietnamese
    turkish eritrean afghan syrian sudanese iranian iraqi nigerian ghanaian pakistani bangladeshi roma gypsy
    traveller travellers muslim christian jewish hindu sikh catholic islam albania afghanistan syria eritrea
    sudan vietnam ukraine iran iraq romania poland pakistan bangladesh nigeria ghana europe africa asia
    dob d.o.b wellbeing welfare conduct misconduct suitability prohibition vetting escalating
    """
)

# Ordinary words practitioners type, often capitalised at the start of a sentence or in Title Case.
COMMON_WORDS = _words(
    """
    worried worry worries worrying concern concerns concerned concerning think thought know knew known believe
    feel felt seem seemed say said tell told ask asked disclose disclosed report reported contact contacted call
    called phone phoned ring rang email emailed speak spoke talk talked share shared need needed want wanted
    make made take took taken give gave given get got go going gone went come came see saw seen look looked
    find found happen happened do did attend attended live lived stay stayed move moved leave left arrive
    arrived return returned begin began start started stop stopped keep kept send sent write wrote written
    record recorded note noted notice noticed check checked decide decided agree agreed close closed open
    opened hit hitting hurt smacked slapped kicked punched pushed shouted threatened scared frightened afraid
    upset crying cried angry hungry dirty smelly tired late absent ill sick unwell poorly pregnant drunk high
    unsafe new old young little small big large first second third fourth fifth last next previous recent
    recently current currently again already today tomorrow yesterday tonight morning afternoon evening night
    weekend week day month time times date dates age aged name names address number numbers example case
    situation issue problem question answer advice details detail info sure unsure best good bad better worse
    right wrong true false important urgent urgently immediately straight possible possibly likely maybe
    perhaps yes help helpful thanks following regarding update further fine well hard difficult easy
    mum mums mummy mother mothers dad dads daddy father fathers parents stepdad stepmum step-dad step-mum
    stepfather stepmother stepson stepdaughter boyfriend girlfriend husband wife ex grandparent grandparents
    grandma grandmother grandad granddad grandfather nan nana nanny gran grandson granddaughter aunt auntie
    aunty uncle cousin brother sister sibling son daughter baby babies infant toddler boy girl teenager teen
    youngster kid kid's twin friend neighbour household house flat room bedroom kitchen car bus street
    road town village area community church mosque club sport sports holiday holidays winter spring
    phone mobile text message messages social media snapchat instagram tiktok facebook whatsapp
    youtube discord roblox fortnite google what's which where when why how who whose whom
    policy form forms letter list steps step process role roles responsibility responsibilities duty duties
    contact line number hours out of-hours out-of-hours
    legal law legislation power powers timescale timescales deadline working days weeks months
    how's there's here's that's it's he's she's they're we're you're we've they've you've who's
    work works job jobs pay paid money food clothes clothing sleep slept eat ate drink drank wash washed
    smoke smoked fight fought play played hide hid run ran walk walked drive drove lie lied steal stole
    break broke broken burn burnt fall fell cut cuts marks bite bit touch touched shake shook grab
    grabbed lock locked wait waited try tried use used allow allowed let put set sit stand stood turn
    turned change changed lose lost win miss help helped support supported visit visited meet met
    understand understood explain explained mean means meant remember forget forgot learn learnt read
    hear heard listen listened watch watched stay follow followed plan planned offer offered provide
    provided include included involve involved apply applied complete completed fill request requested
    arrange arranged invite invited inform informed advise advised consider considered expect expected
    require required suggest suggested show showed shown act acted respond responded reply replied
    become became remain remained continue continued increase increased reduce reduced happen
    refuse refused deny denied admit admitted claim claimed accuse accused allege alleged suspect
    suspected confirm confirmed worry cope coping manage managed struggle struggling fail failed
    seems appears appear appeared look looks sound sounds smell smells
    all every each both few many much more most several some any enough lot lots plenty
    one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen twenty thirty forty fifty hundred thousand half quarter once twice
    thing things way ways place places part parts point points side end start top bottom front back
    kind sort type types group reason reasons result results fact facts idea ideas view views word words
    world country life lives people person man men woman women lady gentleman someone's everyone's
    body head face eye eyes ear ears arm arms hand hands leg legs foot feet back neck skin hair mouth
    tooth teeth nose chest stomach bottom genitals private parts weight height
    bruised marked scratched burned scalded fractured broken head injury cut bleeding
    wet cold hot warm clean messy unkempt thin skinny overweight hungry thirsty lonely sad happy quiet
    withdrawn anxious nervous distressed distress aggressive violent calm normal strange unusual odd
    different same similar other usual real whole full empty free busy ready able unable certain
    clear unclear serious minor major main key general specific particular simple complex short long
    early later latest final whole own such own
    after-school breakfast lunch dinner tea evening weekend overnight sleepover sleepovers party
    week's month's year's day's morning's
    can could would should might must may shall
    also too very really quite just only even still already soon often sometimes never always ever
    again yet maybe perhaps probably definitely certainly actually basically
    anyway however therefore although though because since unless whether while whilst
    ask answer tell say question asking
    compare translate recommend list explain describe summarise summarize define outline identify draft
    create give find suggest
    victim victims perpetrator perpetrators abuser abusers survivor alleged suspect present presents
    presented cry cries dentist dental optician pharmacist pharmacy prescription medication medicine
    appointment appointments clinic bed bath toilet nappy nappies cot pram buggy feed fed feeding bottle
    smack punch kick slap shout threaten scream screamed swear swore wet wets soiled soiling
    """
)

# Common UK given names and surnames (born 1965-2022) that are not also ordinary words: names in any case.
NAMES = _words(
    """
    oliver george harry noah leo arthur muhammad mohammed mohammad mohamed ahmed ali oscar charlie jacob
    thomas henry william alfie joshua freddie archie ethan isaac alexander joseph edward samuel logan lucas
    daniel theo teddy finley arlo reggie albert tommy jaxon jackson jayden jaiden kai riley harrison james
    benjamin dylan jake luke liam callum connor kyle lewis ryan jordan tyler bradley kieran reece jamie nathan
    aaron adam owen sam ben toby mason zachary elliot elliott louis ellis ollie louie frankie bobby ronnie
    stanley jude rory hugo sebastian ezra jenson ronan aiden ayden kayden brandon declan shane craig darren
    wayne lee gary paul steven stephen kevin michael david john christopher andrew matthew richard robert
    anthony peter simon jason carl scott neil stuart ian martin keith barry terry tony danny jonathan nicholas
    ashley dale jay kian cameron ashton harley leon marcus tristan jenny
    olivia amelia isla ava mia freya florence isabella sophia sophie evie ella charlotte emily jessica chloe
    ellie lucy millie hannah scarlett phoebe matilda elsie rosie isabelle harper sienna maisie lola layla emma
    eva erin molly megan lauren amy rebecca katie bethany caitlin abigail courtney leah paige shannon chelsea
    kayleigh stacey tracey tracy kelly nicola michelle sarah claire lisa donna joanne gemma kirsty samantha
    danielle rachel laura natalie victoria jennifer louise hayley zoe aisha fatima maryam zara amira hafsa
    ayesha sana nia maya anna mary elizabeth jane susan karen julie helen angela wendy sharon debbie tina
    kerry vicky leanne jodie alex lily poppy daisy holly jade ruby lilly ivie esme thea niamh aoife
    siobhan ciara shauna kimberley jasmine tia demi kiera keira tegan skye
    smith jones williams taylor davies davis evans wilson johnson roberts robinson thompson edwards hughes
    harris clarke clark patel morris moore morgan allen phillips watson parker bennett griffiths mitchell
    carter richardson bailey collins shaw murphy miller cox richards khan marshall anderson simpson adams
    singh begum wilkinson chapman powell webb rogers ali hussain campbell matthews palmer holmes
    barnes lloyd russell barker stevens jenkins murray dixon harvey graham pearson fletcher walsh kaur
    gibson howard andrews stewart reynolds saunders payne pearce lawrence atkinson spencer dawson burton
    o'brien watts perry armstrong rees hayes hudson newman barrett webster gregory carr lowe dunn parsons
    reid holland hawkins harding robertson newton reed kennedy williamson gardner shah cooke henderson parry
    burgess walton nicholson ross freeman warren nicholls hamilton byrne sutton mcdonald yates hodgson
    robson curtis hopkins o'connor coleman watkins mccarthy o'neill griffin wheeler osborne johnston gordon
    doyle wallace hutchinson rahman akhtar mahmood iqbal hussein nguyen kowalski nowak wojcik okafor
    adeyemi mensah osei boateng cooper turner
    """
)

# After these, a word that is not a known word is a name ("a girl called tyler", "baby jayden").
_NAME_CUES = _words(
    """
    named called aka nee née surname forename forenames
    child baby son daughter stepson stepdaughter brother sister sibling pupil student toddler infant nephew
    niece grandson granddaughter cousin boyfriend girlfriend partner husband wife
    """
)
# After these, any word is a name (unless a function word): "Mrs Brown", "dr patel".
_TITLE_CUES = _words("mr mrs ms miss mx dr prof master")
_SUFFIXES = ("tion", "tions", "sion", "sions", "ness", "ment", "ments", "ship", "hood", "ism", "ities", "ology")


class _Word:
    """One word of the text and what has been decided about it."""

    __slots__ = ("start", "end", "text", "base", "initial", "gap_before", "name")

    def __init__(self, start: int, end: int, text: str, initial: bool, gap_before: str) -> None:
        self.start, self.end, self.text, self.initial, self.gap_before = start, end, text, initial, gap_before
        self.base = _POSSESSIVE.sub("", text) or text  # "Kelly's" → "Kelly"
        self.name = False


def redact(text: str, known_words: Collection[str] = frozenset()) -> str:
    """`text` with emails, UK phone numbers, NHS numbers, postcodes, street addresses, dates of birth and
    probable personal names replaced by [email], [phone], [nhs-number], [postcode], [address],
    [date-of-birth] and [name]. `known_words` (any case) are kept where they would look like a name, unless
    a title stands before them ("Mrs Taunton")."""
    text = EMAIL.sub("[email]", text)
    text = DATE_OF_BIRTH.sub(_date_of_birth, text)
    text = NHS_NUMBER.sub("[nhs-number]", text)
    text = PHONE.sub("[phone]", text)
    text = POSTCODE.sub("[postcode]", text)
    text = ADDRESS.sub("[address]", text)
    text = ADDRESS_LOWERCASE.sub("[address]", text)
    extra = frozenset(w.lower().replace("’", "'") for w in known_words)
    return _redact_names(text, extra)


def _date_of_birth(match: re.Match[str]) -> str:
    return "[date-of-birth]" if match.group("bracketed") else match.group("cue") + "[date-of-birth]"


def _redact_names(text: str, extra: frozenset[str]) -> str:
    """Find the words, decide which are names (cues first, then neighbours of names), and rewrite."""
    runs: list[list[_Word]] = [[]]  # runs of words that no placeholder separates
    last_end = 0
    for match in _TOKEN.finditer(text):
        if match.group("word") is None:
            runs.append([])
        else:
            start, gap = match.start(), text[last_end : match.start()]
            runs[-1].append(_Word(start, match.end(), match.group(0), _starts_sentence(text, start), gap))
        last_end = match.end()
    for words in runs:
        for i in range(len(words)):
            words[i].name = _is_name(words, i, text, extra)
        _spread_to_neighbours(words, extra)
    return _rewrite(text, [word for words in runs for word in words])


def _starts_sentence(text: str, start: int) -> bool:
    j = start
    while j > 0 and text[j - 1] in " \t\"'“‘([*•>-":
        j -= 1
    return j == 0 or text[j - 1] in ".!?:;\n"


def _lower(word: str) -> str:
    return word.lower().replace("’", "'")


def _known(word: str, extra: frozenset[str]) -> bool:
    """Whether `word` (any case) is a word of the language or of the domain rather than a name."""
    low = _lower(word)
    if low in extra or low in STOPWORDS:
        return True
    if low in NAMES:
        return False
    if low in DOMAIN_WORDS or low in COMMON_WORDS:
        return True
    if "-" in low:  # "Multi-Agency", "Non-Statutory"; not "Anne-Marie"
        return all(_known(part, extra) for part in low.split("-"))
    stripped = _CONTRACTION.sub("", low)
    if stripped != low:
        return _known(stripped, extra)
    if len(low) > 5 and low.endswith(_SUFFIXES):
        return True
    return any(stem in DOMAIN_WORDS or stem in COMMON_WORDS for stem in _stems(low))


def _stems(word: str) -> list[str]:
    """Forms `word` may be an inflection of: concerns → concern, worries → worry, disclosed → disclose."""
    stems = []
    if word.endswith("ies") and len(word) > 4:
        stems.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 4:
        stems.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        stems.append(word[:-1])
    if word.endswith("ed") and len(word) > 4:
        stems += [word[:-2], word[:-1], word[:-3]]  # worked, disclosed, stopped
    if word.endswith("ing") and len(word) > 5:
        stems += [word[:-3], word[:-3] + "e", word[:-4]]  # working, disclosing, hitting
    if word.endswith("ly") and len(word) > 5:
        stems.append(word[:-2])
    if word.endswith("er") and len(word) > 5:
        stems += [word[:-2], word[:-1]]
    return stems


def _is_acronym(word: str) -> bool:
    letters = word[:-1] if len(word) > 2 and word.endswith("s") else word  # RPDs, LSPs
    letters = letters.replace("-", "")
    return len(letters) >= 2 and letters.isupper()


def _previous(words: list[_Word], i: int) -> _Word | None:
    """The word before words[i] in the same clause ("Mr. Smith" counts; "child, Kelly" does not)."""
    if i == 0:
        return None
    previous, gap = words[i - 1], words[i].gap_before
    if _lower(previous.base) in _TITLE_CUES and gap.strip() in ("", "."):
        return previous
    return previous if re.fullmatch(r"[\s'‘\"“-]*", gap) else None


def _is_name(words: list[_Word], i: int, text: str, extra: frozenset[str]) -> bool:
    word = words[i]
    base, low = word.base, _lower(word.base)
    previous = _previous(words, i)
    cue = _lower(previous.text) if previous else ""  # "pupil's welfare" has no cue
    if len(base) == 1:  # initials, "I", "a": kept unless beside a name (see _spread_to_neighbours)
        return False
    if cue in _TITLE_CUES:
        return low not in STOPWORDS
    if low in extra:
        return False
    if low in NAMES or any(part in NAMES for part in low.split("-")):
        return True
    if _is_acronym(base):  # RPD, MASH: kept. SMITH (above), KAIDEN, "child JS": names.
        unknown = not _known(base, extra)
        return unknown and (len(base) >= 6 or cue in _NAME_CUES or _two_word_cue(words, i))
    if base[0].isupper():
        if low == "will":  # "Will" at the start is a question, elsewhere a boy
            return not word.initial
        if _known(base, extra):
            return False
        # Sentence-initial words ending -ing are verbs or nouns ("Bruising on…", "Hitting…"), not names.
        return not (word.initial and low.endswith("ing") and len(low) > 5)
    # A lowercase word is a name only with a cue: "called tyler", "baby jayden", "kaiden's mum", "kaiden (7)".
    if _known(base, extra):
        return False
    if cue in _NAME_CUES or _two_word_cue(words, i) or base != word.text:
        return True
    return bool(_AGE_AFTER.match(text, word.end))


def _two_word_cue(words: list[_Word], i: int) -> bool:
    """'known as X', 'name is X', 'goes by X'."""
    if i < 2 or _previous(words, i) is None or _previous(words, i - 1) is None:
        return False
    pair = (_lower(words[i - 2].base), _lower(words[i - 1].base))
    return pair in (("known", "as"), ("name", "is"), ("names", "are"), ("surname", "is"), ("goes", "by"))


def _adjacent(left: _Word, right: _Word) -> bool:
    """Only spaces between two words: one name may be several words ("Anne Marie O'Brien")."""
    return right.start > left.start and re.fullmatch(r"[ \t]*", right.gap_before) is not None


def _spread_to_neighbours(words: list[_Word], extra: frozenset[str]) -> None:
    """A word beside a name is part of it unless it is a known word: "jayden mcfarlane", "J Smith",
    "Will Smith"; but "Dr Patel", "told Kelly", "Jayden has" stay. Sweeps both ways until nothing changes
    (twice at most in practice), so a long run of words is linear."""
    changed = True
    while changed:
        changed = False
        for order in (range(len(words)), range(len(words) - 1, -1, -1)):
            for i in order:
                if not words[i].name and _joins_a_name(words, i, extra):
                    words[i].name = changed = True


def _joins_a_name(words: list[_Word], i: int, extra: frozenset[str]) -> bool:
    word = words[i]
    beside = [n for n in (words[i - 1] if i else None, words[i + 1] if i + 1 < len(words) else None) if n]
    beside = [n for n in beside if n.name and (_adjacent(n, word) if n.start < word.start else _adjacent(word, n))]
    if not beside:
        return False
    if word.text[0].islower() and not any(n.text[0].islower() for n in beside):
        return False  # a lowercase word joins only a lowercase name: "jayden mcfarlane", not "Kelly said"
    low = _lower(word.base)
    if low in extra or low in _TITLE_CUES or (low in STOPWORDS and low != "will"):
        return False
    if len(word.base) == 1:
        return word.base.isupper()  # an initial: "J Smith", "Jayden M"
    return low == "will" or not _known(word.base, extra)


def _rewrite(text: str, words: list[_Word]) -> str:
    """Replace each run of name words (only spaces between) by one [name], keeping a possessive."""
    out: list[str] = []
    pos = i = 0
    while i < len(words):
        if not words[i].name:
            i += 1
            continue
        j = i
        while j + 1 < len(words) and words[j + 1].name and _adjacent(words[j], words[j + 1]):
            j += 1
        last = words[j]
        out += [text[pos : words[i].start], NAME + last.text[len(last.base) :]]  # keeps 's
        pos, i = last.end, j + 1
    out.append(text[pos:])
    return "".join(out)
