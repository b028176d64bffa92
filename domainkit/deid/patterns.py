"""Regular-expression detectors for identifiers with a shape: dates, ages, phones, e-mail, URLs,
IP addresses, ID numbers (bank identifiers included) and street addresses (US, UK and European forms).

Each detector yields ``PhiSpan``s. Shapes that clinical text reuses for measurements are excluded
by context: ``BP 120/80`` and vent settings ``PS 10/5`` are not dates, ``7.35/40/90`` (a blood gas)
is not a date, ``1/2 NS`` is a fraction, ``at 1930`` is a time and not a year.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from domainkit.deid.spans import PhiSpan

#: Month names and abbreviations, "May" aside (also a modal verb: each use decides how to take it).
MONTHS_BUT_MAY = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_MONTH = rf"(?:{MONTHS_BUT_MAY}|may)"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MON = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19\d\d|20\d\d|\d\d)"

_NUMERIC_DATE = re.compile(
    rf"(?<![\w./\-+])({_MON}/{_DAY}(?:/{_YEAR})?(?:\s?-\s?|/)?(?:{_MON}/{_DAY}(?:/{_YEAR})?)?)"
    r"(?![\w%]|[./-]\d)",
    re.I,
)
_DASH_DATE = re.compile(rf"(?<![\w.\-/])(?:{_MON}-{_DAY}-(?:19|20)?\d\d|(?:19|20)\d\d-{_MON}-{_DAY})(?![\w\-]|\.\d)")
# "on 7-8", "since 12-24": a month-day pair with a dash only after a date word (else a range).
_CUED_DASH_DATE = re.compile(
    rf"\b(?:on|since|until|till|from|dated?|thru|through|admitted|admission)\s+({_MON}-{_DAY})(?![\w/\-]|\.\d|\s*(?:%|mg|mcg|cc|ml|units?|hrs?|hours|days|weeks|min|times|x\b|[ap]m\b|/))",
    re.I,
)
_DOT_DATE = re.compile(rf"(?<![\w.])({_MON}\.{_DAY}\.(?:19|20)?\d\d)(?![\w.]|\.\d)")
# Day-first (UK, EU, Australian records) and year-first dates with a four-digit year, which keeps
# them clear of lab values and fractions: "22/07/1961", "22.07.1961", "1961/07/22". A day-first
# date whose day is 12 or less also matches the month-first patterns; either way it is a date.
_DAY_FIRST_DATE = re.compile(
    rf"(?<![\w./\-+])(?:{_DAY}([/.\-]){_MON}\1(?:19|20)\d\d|(?:19|20)\d\d([/.]){_MON}\2{_DAY})(?![\w/\-]|\.\d)"
)
# A month's name between day and year, as EHR and lab exports write it: "14-Mar-2021", "14/MAR/21",
# or after the month: "Mar-14-2021".
# Day-first dates without a four-digit year, where the day (13-31) rules out month-first reading:
# "14/3", "16/03/89", "16.03.89" (UK and EU notes); with dots only with a year ("16.2" is a lab value).
# Measurement look-alikes are screened like month-first dates.
_DAY_FIRST_SHORT = re.compile(
    r"(?<![\w./\-+])((?:1[3-9]|2\d|3[01])(?:/(?:0?[1-9]|1[0-2])(?:/\d\d)?|\.(?:0?[1-9]|1[0-2])\.\d\d))(?![\w%]|[./-]\d)"
)
# Day, month name and year run together, as pharmacy and lab systems print them: "14mar89", "03JAN2089".
_COMPACT_DATE = re.compile(
    r"(?<![\w./-])(?:0?[1-9]|[12]\d|3[01])(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)(?:19|20)?\d\d(?![\w/-])",
    re.I,
)
# A weekday written next to a date is part of it ("Sat 3/15", "Thursday 13 March", "Wednesday, March
# 12"); abbreviations only capitalised ("sat" is an O2 saturation). A weekday and an ordinal day are a
# date on their own: "Wednesday 19th". A weekday alone ("since Sunday") is no date element (the
# deid-dev annotators leave it).
_WEEKDAY = (
    r"(?:(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun|MON|TUE|TUES|WED|THU|THUR|THURS|FRI|SAT|SUN)\.?)"
)
_WEEKDAY_BEFORE = re.compile(rf"\b{_WEEKDAY},?\s{{1,2}}(?:the\s+)?$")
_WEEKDAY_ORDINAL = re.compile(
    r"\b(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+(?:the\s+)?"
    r"(?:[1-9]|[12]\d|3[01])(?i:st|nd|rd|th)\b"
)
_NAMED_MONTH_DATE = re.compile(
    rf"\b(?:{_DAY}([-/]){_MONTH}\.?\1(?:(?:19|20)\d\d|\d\d)|{_MONTH}([-/]){_DAY}\2(?:(?:19|20)\d\d|\d\d))\b",
    re.I,
)
# After a birth-date cue any day/month/year shape is a date, in either order: "DOB: 22/07/61".
_BIRTH_DATE = re.compile(
    r"\b(?:dob|d\.o\.b\.?|date\s+of\s+birth|birth\s*date|born(?:\s+on)?)\s*[:#]?\s*(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4})(?![\w/])",
    re.I,
)
_MONTH_DATE = re.compile(
    rf"\b(?:{_MONTH}\.?\s+{_DAY}(?:st|nd|rd|th)?\b(?:,?\s+(?:19|20)\d\d\b)?"
    rf"|{_DAY}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b\.?(?:,?\s+(?:19|20)\d\d\b)?"
    rf"|{_MONTH}\.?,?\s+(?:19|20)\d\d\b)",
    re.I,
)
# A month named alone after a date preposition: "in July", "since early March", "last August".
# "May" is left out (a modal verb); "March" needs the preposition anyway.
_MONTH_ALONE = re.compile(
    r"\b(?:in|since|until|till|during|from|by|of|for|before|after|through|last|next|this|early|late|mid)"
    r"(?:\s+|-)(?:(?:early|late|mid)(?:\s+|-))?"
    r"(january|february|march|april|june|july|august|september|october|november|december)\b",
    re.I,
)
_HOLIDAY = re.compile(
    r"\b(?:christmas(?:\s+eve)?|thanksgiving|new\s+year'?s(?:\s+(?:eve|day))?|easter"
    r"|hanukk?ah|independence\s+day|memorial\s+day|labor\s+day|halloween|valentine'?s\s+day)\b",
    re.I,
)
_YEAR4 = re.compile(r"(?<![\w./\-])((?:19|20)\d\d)(?![\w%]|\.\d|/\d|-\d)")
_YEAR_APOS = re.compile(r"(?<![\w'])(?:'(\d\d)(?!\w)|(?<![\-/.])(\d\d)'(?![\w']))")
# Month and two-digit year: "echo 8/87", "AMI 7/81" (a day cannot exceed 31).
_MONTH_YEAR = re.compile(rf"(?<![\w./\-+])({_MON}/(?:3[2-9]|[4-9]\d))(?![\w%]|[./-]\d)")
_ORDINAL_DAY = re.compile(
    r"\bthe\s+((?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th))\b(?!\s*(?:degree|time|dose|day|hour|grade|rib|ics|intercostal|cranial|percentile|of\s+\w+\s+(?:doses|times)))",
    re.I,
)
# Events of a medical history that a year follows: "MI 92", "CABG x3 '92", "AVR (2007)".
_HISTORY_EVENT = (
    r"(?:mi|cabg(?:\s?x\s?\d)?|cva|tia|ptca|pci|avr|mvr|chf|dx|dx'd|diagnosed|redo|stent|ablation"
    r"|pacer|pacemaker|aicd|icd|surgery|repair|ca|lap\s?chole|chole|cholecystectomy|appy"
    r"|appendectomy|tah|hysterectomy|thr|tkr|orif|cea|fem-?pop)"
)
_HISTORY_YEAR = re.compile(
    rf"\b(?:{_HISTORY_EVENT}|in)\s+(\d\d)(?![\w%./:\-']|\s*(?:%|mg|mcg|cc|ml|kg|units?|min|hrs?|s\b|'s))",
    re.I,
)
# A four-digit year in brackets after a history event: "S/p MVR (2001), AVR (2007)". Without the
# event a bracketed 2000-2029 may be a clock time ("recheck (2000)"), so it needs one.
_EVENT_BEFORE_BRACKET = re.compile(rf"\b{_HISTORY_EVENT}\s*\(\s*$", re.I)
_HISTORY_CONTEXT = re.compile(r"\b(?:pmh|pmhx|pshx|psh|past\s+medical|past\s+surgical|h/o|hx|history|s/p)\b", re.I)
_TIME_CUE = re.compile(
    r"(?:\b(?:at|@|~|approx\.?|approximately|around|until|till|til|by|from|between|since|after|before|"
    r"about|and|to|or|q|until|@)\s*|[-–@~]\s*)$",
    re.I,
)
# A year of birth is a date element of the birth date: "DOB 1947", "Born: 1949", "YOB 1950".
_STRONG_YEAR_CUE = re.compile(
    r"(?:\b(?:in|year|yr|since|s/p|dx|dx'd|diagnosed|of|during|born|dob|d\.o\.b|yob|year\s+of\s+birth)\.?\s*:?\s*|')$",
    re.I,
)
_HISTORY_YEAR_CUE = re.compile(r"[,(;]\s*$")
# Ventilator and haemodynamic settings look like dates ("PS 10/5", "CPAP 5/5", "CO/CI 5/3").
_VENT_CUE = re.compile(
    r"\b(?:peep|ps|psv|cpap|c-pap|bipap|bi-pap|simv|imv|ac|flowby|flow-by|vent|ventilation|mask|trial|"
    r"weaning|wean|abg|co/ci|ci|fick|fio2|fi02|tv|vt|ipap|epap|trach\s+mask)\b",
    re.I,
)
_PAIN_CUE = re.compile(r"\b(?:pain|cp|discomfort|pressure|ha|headache|rates?|rated|rating|scale|level)\b", re.I)
_MEASURE_CUE = re.compile(
    r"\b(?:bp|b/p|sbp|dbp|nbp|abp|nibp|art\s+line|a-line|peep|ps|psv|cpap|bipap|ac|simv|imv|vent|"
    r"settings?|ratio|i:e|x|tv|vt|rate|hr|ventilator|strength|of|fio2|fi02|mmhg|apgars?(?:\s+scores?)?|"
    r"tinetti|mmse|moca|slums|gcs|scores?|scored)\s*:?\s*$",
    re.I,
)
FRACTIONS = frozenset({"1/2", "1/3", "2/3", "1/4", "3/4", "2/2", "1/1"})
# A regulation cited by number ("DFARS 252.227-7013", "48 C.F.R. 227.7202-3", "FAR 52.227-19",
# "17 U.S.C. § 101"): US government licence clauses cite them, and their digits fall in a phone's
# groups. Redacting them as [PHONE] removes legal meaning and protects nobody.
_CITATION_CUE = re.compile(r"(?:\b(?:DFARS?|FAR|CFR)|C\.F\.R\.|U\.S\.C\.|§)\s*(?:§\s*)?$")  # not "USC": a hospital too
# Words naming an event that a date follows: "extubation 10/3", "surgery planned 4/2".
_EVENT_CUE = re.compile(
    r"\b(?:extubation|extubate|surgery|procedure|op|appointment|appt|scheduled|planned|due|discharge|"
    r"dated?|until|since|before|after|by)\s*:?\s*$",
    re.I,
)
_DATE_CUE = re.compile(r"\b(?:on|since|from|until|till|dated?|d/c'?d|admitted|admission|thru|through)\s*$", re.I)
UNIT_AFTER = re.compile(r"\s*(?:%|mg|mcg|ml|cc|units?|u\b|l\b|lpm|ns\b|strength|tab|meq|mmol|g\b|kg|mm|cm|hrs?\b)", re.I)

_AGE = re.compile(
    r"(?<![\w.])((?:9\d|1[01]\d)(?:\s*\+)?)\s*(?=-?(?:yo\b|y/o|y\.o\.?|years?[\s-]*old|yrs?[\s-]*old|"
    r"yrs?\b|year\b|y\b|[mf]\b|male|female|man\b|woman|gentleman|lady|gent\b|s/p|y\s*o\b))",
    re.I,
)
_AGE_WORD = re.compile(r"\b(?:age[ds]?|aged)\s*:?\s*((?:9\d|1[0-2]\d))\b", re.I)
# An age over 89 written out: "ninety-three year old", "ninety three yo", "one hundred and twelve
# years of age", "aged ninety". "One" must open a hundred: "a hundred-year-old farmhouse" is no person.
_DIGIT_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TEEN_WORD = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
_SPELLED_OVER_89 = (
    rf"(?:ninety(?:[\s-]{_DIGIT_WORD})?"
    rf"|one[\s-]hundred(?:[\s-]and)?(?:[\s-](?:{_TEEN_WORD}|{_DIGIT_WORD}))?)"
)
_AGE_SPELLED = re.compile(
    rf"\b({_SPELLED_OVER_89})(?=[\s-]*(?:years?[\s-]*old|yrs?[\s-]*old|years?\s+of\s+age|yo\b|y/o|y\.o\.))"
    rf"|\b(?:age[ds]?|aged)\s*:?\s*({_SPELLED_OVER_89})\b",
    re.I,
)

_PHONE = re.compile(
    r"(?<![\w/.\-])(?:\+?1[\s.-])?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4,5}(?:,?\s*(?:x|ext\.?|extension)\s*\d{1,5})?(?![\w/]|\.\d)"
    r"|(?<![\w/.\-])\d{3}/\d{3}/\d{4}(?![\w/]|\.\d)"
    r"|(?<![\w/.\-])\(?\d{5,6}-\d{4}\)?(?![\w/]|\.\d)"
    r"|(?<![\w/.\-:])\d{3}-\d{4}(?![\w/]|\.\d|-)",
    re.I,
)
# A bare "555-1234" is a phone number only near a phone word; otherwise it is a range ("SVR 900-1300").
_SHORT_PHONE = re.compile(r"^\d{3}-\d{4}$")
# "(h) 555-2874 (w) 555-9911": a contact list marks home, work and mobile numbers with a bracketed
# letter. Not "(c)", which is the copyright sign of every licence.
_PHONE_WORD = re.compile(
    r"(?:\b(?:pager|pgr|beeper|beep|bleep|page|cell|phone|phoned|ph|tel|telephone|fax|home|work|office|call|called|calls|"
    r"rang|reached|reach|contact|number|#)(?:\s+(?:on|at|via|is))?|\((?:h|w|m|hm|wk|mob)\))\W*$",
    re.I,
)
_CLOCK_RANGE = re.compile(r"([01]\d|2[0-3])[0-5]\d\s?-\s?([01]\d|2[0-3])[0-5]\d")
# UK numbers without "+44": a trunk "0", then 10 digits in two or three groups ("0121 496 0023",
# "029 2018 4400", "07700 900 882"). Eleven digits in all keep clear of clock-time lists ("0800 1000 1200").
_UK_PHONE = re.compile(r"(?<![\w/.\-+])0[1-9]\d{1,4}(?:[ -]\d{3,4}){1,2}(?![\w/]|[.-]\d|\s\d)")
# A short internal number after a bleep, pager or extension cue: "bleep 4471", "pager #2217".
_INTERNAL_NUMBER = re.compile(
    r"\b(?:bleep|bleeper|pager|pgr|beeper|beep|ext\.?|extension)\s*(?:#|no\.?|number)?\s*[:#]?\s*(\d{3,5}|\d-\d{4})(?!\w|[.,/:-]\d)",
    re.I,
)
# A hospital's internal number glued to an "x" ("x4-5521", "x 6-2100"): a digit, a dash and four digits.
# Not "x3" or "x 2": a bare "x" before a count means "times".
_X_EXTENSION = re.compile(r"(?<![\w/])x\s?(\d-\d{4})(?![\w-]|\.\d)", re.I)
# The number a phone cue introduces: digits in groups, with brackets, spaces, dots or dashes.
_DIALLED = r"(\(?\d[\d\s().-]{3,14}\d\)?)(?![\w/]|\.\d)"
_PHONE_CUE = re.compile(
    r"\b(?:pager|pgr|beeper|beep|page|pg|cell|cellphone|mobile|phone|ph|tel|telephone|fax|home|work|office|"
    r"contact|number|no|ext|extension|#)\s*(?:#|no\.?|number|num)?\s*[:#]?\s*(?:is\s+)?" + _DIALLED,
    re.I,
)
# A number after "at", "@" or "#" in a clause that asks for a call or a page: "call wife at 555-1234",
# "reach her at 555 1234", "please page at 2-3456", "paged at 34567". Five digits at least: "paged at
# 0300" is a clock time, as is "called at 1400-1500" (a range of two clock times, _CLOCK_RANGE).
_CONTACT_AT = re.compile(
    r"\b(?:call|called|calling|calls|reach|reached|reachable|contact|contacted|page|paged|paging|text|texted|"
    r"phone|phoned|ring|rang|beep|beeped|bleep|bleeped)\b[^.;:\n\d]{0,30}?(?:\bat|@|#)\s*#?\s*" + _DIALLED,
    re.I,
)
# International numbers: "+44 7700 900123", "+33 1 42 68 53 00", "+49-30-901820" (a country code,
# then more digits in groups). A trunk number without "+" ("020 7946 0958") needs a phone word
# (``_PHONE_CUE``): notes list clock times the same way ("0800 1000 1200").
_INTERNATIONAL_PHONE = re.compile(r"(?<![\w+])\+\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){2,6}(?![\w/]|\.\d)")
# A card number in groups of four: "4111-1111-1111-1111"; with spaces only after a card word, as
# nursing notes list clock times that way ("0800 1000 1200 1400"). Plain long numbers are IDs anyway.
_CARD_NUMBER = re.compile(
    r"(?<![\w\-])(?:\d{4}-){3}\d{1,7}(?![\w\-]|\.\d)"
    r"|\b(?:card|credit|debit|visa|mastercard|amex|acct|account)\b[^\n\d]{0,20}((?:\d{4}\s){3}\d{1,7})(?![\w\-]|\.\d)",
    re.I,
)
# A telephone extension on its own: "ext 234", "extension #4471" (a bare "x3" means "times").
_EXTENSION = re.compile(r"\b(?:ext\.?|extension)\s*[#:]?\s*(\d{3,5})(?!\w|\.\d)", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_URL = re.compile(r"\b(?:https?://|ftp://|www\.)[^\s<>\"')\]]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|edu|gov|io|us|uk)(?:/[^\s<>\"')\]]*)?\b", re.I)
_IP = re.compile(r"(?<![\w./])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?!\w|\.\d)")
# Four dotted numbers that are no address: an enzyme's EC number ("E.C. 3.2.1.1", "EC 2.7.11.1") or a
# version ("version 1.0.0.1", "v2.0.0.0").
_NOT_IP_CUE = re.compile(r"(?:\b(?:e\.?\s?c\.?|ec\s+number|version|ver\.?|release|build|v|section|clause|revision|rev\.?)\s*:?\s*)$", re.I)
_IP_CUE = re.compile(r"\b(?:ip|address|addr|host|server|workstation|login|logged|computer|device|terminal|pc|from|via)\b", re.I)
_SSN = re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])")
_ID_CUE = re.compile(
    r"\b(?:mrn|mr\s*#|medical\s+record(?:\s+(?:number|no\.?))?|record\s*(?:number|no\.?|#)|acct|account|"
    r"unit\s+(?:number|no\.?)|ssn|social\s+security(?:\s+number)?|licen[cs]e|lic\.?|dea|npi|"
    r"passport|serial|(?:member|policy|case|claim|id|identifier)\s*(?:#|no\.?|number|num))\s*(?:#|no\.?|number|num)?\s*[:#]?\s*"
    r"([A-Za-z]{0,3}[-\s]?\d[\w-]{2,})",
    re.I,
)
# An identifier after its label: a code of letters and digits, maybe joined by "-" or "/", holding
# three digits or more ("Accession: RAD20890314-0047", "Hosp no RLH5512398", "badge 4471-B",
# "ref ASC/2089/004417", "(ID INT-0449)", "Medicare number 1EG4-TE5-MK73"). "ID consult" (infectious
# diseases), "No. 2 catheter" and "ref 3.5-5.0" hold no such code; ``_labelled_ids`` screens the rest.
_ID_LABEL_WORDS = (
    r"hospital|hosp|clinic|patient|pt|staff|employee|member|membership|policy|case|claim|file|client|"
    r"resident|subscriber|beneficiary|group|visit|encounter|episode|referral|accession|specimen|sample|"
    r"requisition|order|booking|crime|incident|police|unit|record|chart|health|insurance|medicare|medicaid|"
    r"nhs|chi|hcn|interpreter|provider|student|badge|reference|ref|acc|account|acct|id|mrn|autopsy"
)
# Label words that announce an identifier without "no"/"number"/"ID" after them.
_BARE_LABELS = frozenset("id accession ref reference policy badge mrn medicare medicaid nhs chi hcn".split())
# Label words that announce a code of letters and digits when a colon follows them: "Case: BM07-219",
# "Autopsy: A07-0088". Without the colon "case T790M" is a variant and "specimen CD138" a marker.
_CODE_LABELS = frozenset("case autopsy".split())
# Codes that are clinical, not identifiers: gene variants ("T790M", "C282Y") and markers ("CD138", "CA19-9").
_CLINICAL_CODE = re.compile(r"[A-Z]\d+[A-Z]$|(?:CD|CA|HER)\d", re.I)
# "ref # 0312-4471": a zero-padded reference of 7+ digits after "#", never a range such as "(ref 0-150)".
_ZERO_PADDED_REFERENCE = re.compile(r"0\d{2,}-\d+$")
_LABELLED_ID = re.compile(
    rf"\b({_ID_LABEL_WORDS})(\s*(?:id|no\b\.?|nr\b\.?|number|num\b\.?|#))?"
    r"\s*[:#=]?\s*([A-Za-z0-9]+(?:[-/][A-Za-z0-9]+)*)(?![\w/-]|[.,]\d)",
    re.I,
)
# An NHS number, three-three-four digits after its label (not a telephone number).
_NHS_NUMBER = re.compile(r"\b(?:nhs|chi)\s*(?:no\.?|number|num|#)?\s*[:#]?\s*(\d{3}[\s-]?\d{3}[\s-]?\d{4})(?![\w-]|\.\d)", re.I)
# A member number after an insurer's name: "Ins: SoonerCare B44719302", "Insurance: Aetna W123456789".
_INSURER_ID = re.compile(
    r"\b(?i:ins|insurance|insurer|payer|plan)\s*:\s*(?:[A-Z][\w&'-]*\s+){1,4}([A-Z]{0,4}\d{5,}[A-Z\d-]*)(?![\w-]|\.\d)"
)
# Not identifiers after a label: a range ("ref 135-145"), a fever ("ID: 101F"), a year ("Policy 2021").
_NUMERIC_RANGE = re.compile(r"\d+-\d+$|\d{2,3}[FC]$|(?:19|20)\d\d$", re.I)
_DATE_SHAPE = re.compile(r"\d{1,2}/\d{1,2}(?:/\d{2,4})?$")
_HASH_ID = re.compile(r"#\s*([A-Za-z]{1,4}\d{2,}[\w-]*|\d{5,})\b")
_LONG_NUMBER = re.compile(r"(?<![\w.,/\-])\d{7,}(?![\w.,/]|\.\d)")

_STREET_SUFFIX = (
    r"(?:st|street|ave|avenue|rd|road|blvd|boulevard|dr|drive|ln|lane|way|ct|court|pl|place|"
    r"ter|terrace|pkwy|parkway|hwy|highway|cir|circle|sq|square)"
)
_ADDRESS_STOP = r"(?!(?:per|to|by|at|with|and|of|on|for|from|in|x|the|a|an|was|is|than|then|rate|hr|bp|nsr|sr)\b)"
_ADDRESS = re.compile(
    rf"(?<![\w./@-])\d{{1,5}}(?:-\d{{1,5}})?\s+(?:[nsew]\.?\s+)?(?:{_ADDRESS_STOP}[A-Za-z][A-Za-z'-]+\s+){{1,3}}"
    rf"(?:{_STREET_SUFFIX}\b(?!\.?\s*[A-Z][a-z])|St\.|ST\.|Street)\.?"
    r"(?:,?\s*(?:apt|apartment|unit|suite|ste|#)\.?\s*#?\s*\w+)?",
    re.I,
)
_PO_BOX = re.compile(r"\bp\.?\s?o\.?\s+box\s+\d+\b", re.I)
_STATE_CODE = (
    r"(?:AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|"
    r"ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC)"
)
_ZIP_AFTER_STATE = re.compile(rf"\b{_STATE_CODE},?\s+(\d{{5}}(?:-\d{{4}})?)\b")


def _spans(pattern: re.Pattern[str], text: str, kind: str, group: int = 0) -> Iterator[PhiSpan]:
    for match in pattern.finditer(text):
        start, end = match.span(group)
        if start >= 0 and end > start:
            yield PhiSpan(start, end, kind)


def _before(text: str, start: int, width: int = 24) -> str:
    return text[max(0, start - width) : start]


def _clause_before(text: str, start: int, width: int) -> str:
    """Up to ``width`` characters before ``start``, cut at the last sentence or line break."""
    before = _before(text, start, width)
    cut = max(before.rfind(". "), before.rfind("\n"), before.rfind(";"))
    return before[cut + 1 :]


def _dated_of(before: str, value: str) -> bool:
    """ "night of 3/12" is a date; "strength of 4/5" a grade: after "of", a day above 5 is a date."""
    if not re.search(r"\bof\s*$", before, re.I) or "/" not in value:
        return False
    day = value.split("/")[1]
    return day.isdigit() and int(day) > 5


def is_vent_setting(text: str, start: int, month: int, day: int) -> bool:
    """A month/day shape at ``start`` that is a ventilator setting: "PS 10/5", "on 5/5" (not
    "extubation planned 10/3")."""
    if day > 10 or _EVENT_CUE.search(_before(text, start)):
        return False
    return month == day == 5 or bool(_VENT_CUE.search(_clause_before(text, start, 50)))


def is_pain_score(text: str, start: int, end: int, month: int, day: int) -> bool:
    """A month/day shape in ``text[start:end]`` that is a pain score: "CP 4/10", "3/10 incisional pain"."""
    if day != 10 or month > 10:
        return False
    return bool(_PAIN_CUE.search(_before(text, start, 40)) or _PAIN_CUE.match(text[end : end + 20].strip()))


def find_dates(text: str) -> Iterator[PhiSpan]:
    """Dates, a weekday written before one included ("Sat [3/15]")."""
    for span in _dates(text):
        weekday = _WEEKDAY_BEFORE.search(text, max(0, span.start - 16), span.start)
        yield PhiSpan(weekday.start(), span.end, "DATE") if weekday else span
    yield from _spans(_WEEKDAY_ORDINAL, text, "DATE")


def _day_first_short(text: str) -> Iterator[PhiSpan]:
    for match in _DAY_FIRST_SHORT.finditer(text):
        value = match.group(1)
        start, end = match.span(1)
        before = _before(text, start)
        if value == "24/7" or (_MEASURE_CUE.search(before) and not _dated_of(before, value)):
            continue
        if UNIT_AFTER.match(text, end):
            continue
        day, month = (int(x) for x in re.split(r"[/.]", value)[:2])
        if value.count("/") == 1 and (month in (5, 10) or _VENT_CUE.search(_clause_before(text, start, 50))):
            continue  # "IMV 650x8 60% 15/10", "on 13/10": ventilator settings, whatever the day
        yield PhiSpan(start, end, "DATE")


def _dates(text: str) -> Iterator[PhiSpan]:
    for match in _NUMERIC_DATE.finditer(text):
        value = match.group(1)
        start, end = match.span(1)
        before = _before(text, start)
        if _MEASURE_CUE.search(before) and not _dated_of(before, value):
            continue
        if any(part in FRACTIONS for part in re.split(r"\s?-\s?", value)) and not _DATE_CUE.search(before):
            continue
        if UNIT_AFTER.match(text, end):
            continue
        month, day = (int(x) for x in value.split("/")[:2]) if value.count("/") >= 1 and "-" not in value else (0, 0)
        if month and is_vent_setting(text, start, month, day):
            continue
        if is_pain_score(text, start, end, month, day):
            continue
        yield PhiSpan(start, end, "DATE")
    for match in _MONTH_YEAR.finditer(text):
        if not _MEASURE_CUE.search(_before(text, match.start())):
            yield PhiSpan(*match.span(1), "DATE")
    yield from _spans(_ORDINAL_DAY, text, "DATE", 1)
    yield from _spans(_DASH_DATE, text, "DATE")
    yield from _spans(_CUED_DASH_DATE, text, "DATE", 1)
    yield from _spans(_DOT_DATE, text, "DATE", 1)
    yield from _spans(_DAY_FIRST_DATE, text, "DATE")
    yield from _day_first_short(text)
    yield from _spans(_COMPACT_DATE, text, "DATE")
    yield from _spans(_NAMED_MONTH_DATE, text, "DATE")
    yield from _spans(_BIRTH_DATE, text, "DATE", 1)
    yield from _spans(_MONTH_DATE, text, "DATE")
    yield from _spans(_MONTH_ALONE, text, "DATE", 1)
    yield from _spans(_HOLIDAY, text, "DATE")
    yield from _find_years(text)


def _find_years(text: str) -> Iterator[PhiSpan]:
    for match in _YEAR4.finditer(text):
        year = int(match.group(1))
        start, end = match.span(1)
        before = _before(text, start, 16)
        after = text[end : end + 6].lower()
        if re.match(r"\s*(?:hrs?\b|h\b|pm\b|am\b|hours|-\s*\d{4}|–)", after):
            continue  # 1930 hrs, 1900-2000: clock times
        strong = bool(_STRONG_YEAR_CUE.search(before))
        if year < 2000 and _HISTORY_YEAR_CUE.search(before):
            strong = True  # "PMH: renal cell ca 1977, ..." but not "effect, 2000 c/o nausea"
        if _EVENT_BEFORE_BRACKET.search(before) and text[end : end + 1] == ")":
            strong = True  # "AVR (2007)"
        if (year < 1960 or year > 2029) and not strong:
            continue  # 1900-1959 and 2000-2029 are more often 24-hour times
        if year >= 2000 and not strong:
            continue
        if not strong and _TIME_CUE.search(before):
            continue
        yield PhiSpan(start, end, "DATE")
    for match in _YEAR_APOS.finditer(text):
        group = 1 if match.group(1) else 2
        yield PhiSpan(*match.span(group), "DATE")
    for line_match in re.finditer(r"[^\n]+", text):
        line = line_match.group(0)
        if not _HISTORY_CONTEXT.search(line) and not _HISTORY_CONTEXT.search(_before(text, line_match.start(), 300)):
            continue
        for match in _HISTORY_YEAR.finditer(line):
            start, end = match.span(1)
            yield PhiSpan(line_match.start() + start, line_match.start() + end, "DATE")
        for match in re.finditer(r"(?<=\band\s)(\d\d)\b(?!\s*(?:%|mg|mcg|cc|ml))", line):
            if re.search(r"\bin\s+\d\d\s+and\s+$", line[: match.start()]):
                yield PhiSpan(line_match.start() + match.start(), line_match.start() + match.end(), "DATE")


def find_ages(text: str) -> Iterator[PhiSpan]:
    yield from _spans(_AGE, text, "AGE", 1)
    yield from _spans(_AGE_WORD, text, "AGE", 1)
    for match in _AGE_SPELLED.finditer(text):
        yield PhiSpan(*match.span(1 if match.group(1) else 2), "AGE")


def _numbering_like(text: str, match: re.Match[str]) -> bool:
    """Four dotted numbers read as a clause, version or revision number rather than an address: followed
    by a full stop, opening a line, inside a URL's query ("r2=1.1.1.1", "-3.2.23.0"), or with a first
    number under 10, which versions and clauses have and the addresses in notes seldom do.

    Before a full stop, a part of three digits after "on", "at" or "to" is an address's: "archived on
    172.16.40.12." ends a sentence with an address; "comply with 10.100.2.1." and "§ 10.100.2.1."
    number clauses."""
    before = text[max(0, match.start() - 1) : match.start()]
    line_start = text.rfind("\n", 0, match.start()) + 1
    three_digit_part = any(len(part) == 3 for part in match.group(0).split("."))
    located = three_digit_part and re.search(r"\b(?:on|at|to)\s+$", text[max(0, match.start() - 6) : match.start()], re.I)
    return (
        (text[match.end() : match.end() + 1] == "." and not located)
        or not text[line_start : match.start()].strip()
        or before in ("=", "-", "?", "_")
        or int(match.group(0).split(".")[0]) < 10
    )


def find_contacts(text: str) -> Iterator[PhiSpan]:
    """E-mail, URLs, IPs and phone numbers."""
    yield from _spans(_EMAIL, text, "EMAIL")
    yield from _spans(_URL, text, "URL")
    for match in _IP.finditer(text):
        if _NOT_IP_CUE.search(text, max(0, match.start() - 16), match.start()):
            continue
        if not _IP_CUE.search(text, max(0, match.start() - 40), match.start()) and _numbering_like(text, match):
            continue  # "3.1.2.1. Termination", "Xming 6.9.0.31", "r2=1.1.1.1"; "Workstation IP 10.22.145.8." is an address
        yield PhiSpan(*match.span(), "IP")
    for match in _PHONE.finditer(text):
        before = _before(text, match.start())
        # A full number with its area code is no reading after "HR" or "rate": "faxed to HR 978-555-0150".
        full = sum(ch.isdigit() for ch in match.group(0)) >= 10
        if (_MEASURE_CUE.search(before) and not full) or _CITATION_CUE.search(before):
            continue
        if _SHORT_PHONE.match(match.group(0)) and not _PHONE_WORD.search(_before(text, match.start(), 30)):
            continue
        yield PhiSpan(*match.span(), "PHONE")
    yield from _spans(_EXTENSION, text, "PHONE", 1)
    yield from _spans(_INTERNAL_NUMBER, text, "PHONE", 1)
    yield from _spans(_X_EXTENSION, text, "PHONE", 1)
    for match in _UK_PHONE.finditer(text):
        if sum(ch.isdigit() for ch in match.group(0)) == 11 and not _MEASURE_CUE.search(_before(text, match.start())):
            yield PhiSpan(*match.span(), "PHONE")
    for match in _INTERNATIONAL_PHONE.finditer(text):
        if 7 <= sum(ch.isdigit() for ch in match.group(0)) <= 15:  # E.164 numbers hold at most 15 digits
            yield PhiSpan(*match.span(), "PHONE")
    for match in _PHONE_CUE.finditer(text):
        digits = re.sub(r"\D", "", match.group(1))
        if 4 <= len(digits) <= 12:
            yield PhiSpan(match.start(1), match.start(1) + len(_without_stray_bracket(match.group(1))), "PHONE")
    for match in _CONTACT_AT.finditer(text):
        number = _without_stray_bracket(match.group(1).strip())
        if not 5 <= sum(ch.isdigit() for ch in number) <= 11 or _CLOCK_RANGE.fullmatch(number):
            continue
        if _round_range(number) or _MEASURE_CUE.search(_before(text, match.start(1))):
            continue  # "call if SBP at 90-100", "SVR at 900-1300": a range of values
        yield PhiSpan(match.start(1), match.start(1) + len(number), "PHONE")


def _without_stray_bracket(number: str) -> str:
    """``number`` less a closing bracket it did not open: "(phone (617) 555-2186)" keeps its ")"."""
    while number.endswith(")") and number.count(")") > number.count("("):
        number = number[:-1].rstrip()
    return number


def _round_range(number: str) -> bool:
    """Two numbers of two to four digits, each a multiple of ten ("90-100", "900-1300"): a range of values."""
    parts = re.fullmatch(r"(\d{2,4})\s?-\s?(\d{2,4})", number)
    return bool(parts) and all(int(part) % 10 == 0 for part in parts.groups())


# Bank identifiers, as contracts and invoices write them. An IBAN (ISO 13616): country code, two
# check digits, then up to 30 letters and digits, printed in groups of four or run together. The
# mod-97 check (``_iban_valid``) tells one from a random letter-digit string, with or without an
# "IBAN" cue. Candidates take the longest valid prefix of groups: "DE89 3704 ... 00 AND" drops "AND".
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){3,8}(?![A-Za-z0-9])")
# A BIC (SWIFT code) is four bank letters, a country, a location and an optional branch; shaped like
# any capitalised word, so only after its cue: "BIC: DEUTDEFFXXX", "SWIFT/BIC NWBKGB2L".
_BIC = re.compile(
    r"\b(?:BIC|SWIFT)(?:\s*/\s*(?:BIC|SWIFT))?(?:\s+[Cc]ode)?\s*[:#]?\s*([A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)\b"
)
# An account number after "Acct."/"Acct. No."/"A/C" (``_ID_CUE`` wants "acct" without the period).
# "A/C" only in capitals and before six or more digits: notes write "a/c" for "before meals" ("FS a/c 145").
_ACCOUNT = re.compile(
    r"(?:\b(?i:acct)\.?|(?<![\w/])A/C)\s*(?:(?i:no|number|nr)\.?|#)?\s*[:#]?\s*(\d[\d -]{4,}\d)(?![\w-])"
)


def _iban_valid(candidate: str) -> bool:
    """ISO 13616: 15-34 characters, and the number made by moving the first four to the end
    (letters as 10-35) leaves remainder 1 modulo 97."""
    if not 15 <= len(candidate) <= 34:
        return False
    rotated = candidate[4:] + candidate[:4]
    return int("".join(str(int(ch, 36)) for ch in rotated)) % 97 == 1


def find_bank_ids(text: str) -> Iterator[PhiSpan]:
    """IBANs (checked), BICs after their cue, and account numbers after "Acct."/"A/C"."""
    for match in _IBAN.finditer(text):
        groups = list(re.finditer(r"[A-Z0-9]+", match.group(0)))
        for last in range(len(groups), 0, -1):  # the longest run of groups that is a valid IBAN
            if _iban_valid("".join(g.group(0) for g in groups[:last])):
                yield PhiSpan(match.start(), match.start() + groups[last - 1].end(), "ID")
                break
    yield from _spans(_BIC, text, "ID", 1)
    for match in _ACCOUNT.finditer(text):
        if sum(ch.isdigit() for ch in match.group(1)) >= 6:
            yield PhiSpan(*match.span(1), "ID")


def _labelled_ids(text: str) -> Iterator[PhiSpan]:
    position = 0
    while match := _LABELLED_ID.search(text, position):
        position = match.end()
        value = match.group(3)
        label = match.group(1).lower()
        if not match.group(2) and label not in _BARE_LABELS and not _labelled_code(text, match):
            position = match.end(1)  # "hospital" alone announces no number; "Police ref NC-89-55012" does
            continue
        digits = sum(ch.isdigit() for ch in value)
        hashed = "#" in (match.group(2) or "")
        reference = hashed and _ZERO_PADDED_REFERENCE.match(value) and digits >= 7
        numeric_range = _NUMERIC_RANGE.match(value) and not reference
        if digits < 3 or numeric_range or _DATE_SHAPE.match(value):
            continue  # a range, a fever or a year (``_NUMERIC_RANGE``); "ref 3/14" is a date
        if UNIT_AFTER.match(text, match.end(3)):
            continue  # "ID 100 mg" is a dose
        yield PhiSpan(*match.span(3), "ID")


def _labelled_code(text: str, match: re.Match[str]) -> bool:
    """ "Case: BM07-219": a code label, a colon, and a code of letters and digits that no variant or marker is."""
    value = match.group(3)
    colon = text[match.end(1) : match.start(3)].strip() == ":"
    return (colon and match.group(1).lower() in _CODE_LABELS and any(ch.isalpha() for ch in value)
            and not _CLINICAL_CODE.match(value))


def labelled_ids(text: str) -> Iterator[PhiSpan]:
    """Identifiers after their label: "Hospital No: K4419820", "NHS number 943 476 5919"."""
    yield from _spans(_NHS_NUMBER, text, "ID", 1)
    yield from _labelled_ids(text)
    yield from _spans(_INSURER_ID, text, "ID", 1)


def find_ids(text: str) -> Iterator[PhiSpan]:
    yield from labelled_ids(text)
    yield from _unlabelled_ids(text)


def _unlabelled_ids(text: str) -> Iterator[PhiSpan]:
    yield from _spans(_SSN, text, "ID")
    yield from find_bank_ids(text)
    for match in _ID_CUE.finditer(text):
        if sum(ch.isdigit() for ch in match.group(1)) >= 3:
            yield PhiSpan(*match.span(1), "ID")
    yield from _spans(_HASH_ID, text, "ID", 1)
    for match in _CARD_NUMBER.finditer(text):
        group = 1 if match.group(1) else 0
        groups = re.findall(r"\d+", match.group(group))
        digits = "".join(groups)
        clock = all(len(g) == 4 and int(g[:2]) <= 24 and int(g[2:]) < 60 for g in groups)
        # Card numbers start with 2-6 (Mastercard, Amex, Visa, Discover); "0800-1000-1200-1400" is a schedule.
        if 13 <= len(digits) <= 19 and digits[0] in "23456" and not clock and _luhn_valid(digits):
            yield PhiSpan(*match.span(group), "ID")
    yield from _spans(_LONG_NUMBER, text, "ID")


def _luhn_valid(digits: str) -> bool:
    """The Luhn check digit of payment card numbers holds."""
    total = 0
    for position, ch in enumerate(reversed(digits)):
        value = int(ch) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


# Addresses as contracts write them, capitalised (case-sensitive, so clinical shorthand such as
# "2L nc" or "10 units sq" cannot match). English: a house number, maybe with a letter ("221B"), one to
# three capitalised words, a street word, and maybe a compass quarter ("1600 Pennsylvania Avenue NW";
# ``_ADDRESS`` refuses a suffix followed by a word, and "221B" is no number to it).
# Not "Dr" (a doctor: "in 2 Weeks With Dr Patel"), "Ct" (a CT scan: "Day 2 Head Ct") or "Walk" ("6 Minute
# Walk Test"): clinical text writes them after a number and capitalised words far more often.
_EN_STREET_WORDS = (
    r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Lane|Ln|Way|Court|Place|Pl|Terrace|"
    r"Parkway|Pkwy|Highway|Hwy|Circle|Square|Sq|Close|Crescent|Gardens|Mews|Row"
)
# A number after one of these words numbers a part of a document, a day or a bed, and is no house
# number: "Part 7 High Court", "Section 2 Crown Court Rules", "Bed 4 Bay Close".
_NUMBERING_WORD = re.compile(
    r"(?i:\b(?:sections?|parts?|schedules?|clauses?|articles?|art|exhibits?|annex|appendix|chapter|rule|"
    r"order|page|day|week|month|bed|bay|room|floor|level|step|stage|grade|type|no|number|pod)\.?\s*)$"
)
_EN_STREET = re.compile(
    rf"(?<![\w./@-])\d{{1,5}}[A-Z]?\s+(?:[A-Z][a-z'-]+\s+){{1,3}}(?:{_EN_STREET_WORDS})\b\.?"
    r"(?:\s+(?:NW|NE|SW|SE|N|S|E|W)\b)?"
)
_CAP = r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿß'-]+"  # a capitalised word, Latin-1 letters ("Düsseldorf", "Élysées")
# French, Belgian, Swiss: number first ("45 Rue de Rivoli", "12 bis avenue des Champs-Élysées").
_FR_STREET = re.compile(
    r"(?<![\w./@-])\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:[Rr]ue|[Aa]venue|[Bb]oulevard|[Pp]lace|[Qq]uai|[Aa]llée|[Cc]hemin|[Ii]mpasse)"
    rf"\s+(?:(?:de\s+la|de|du|des|la|le|d'|l')\s*)?{_CAP}(?:[\s-]{_CAP}){{0,2}}"
)
# Italian, Spanish, Portuguese: street word first, number last ("Via Roma 5", "Calle Mayor 10").
_SOUTH_STREET = re.compile(
    r"\b(?:Via|Viale|Piazza|Corso|Calle|Avenida|Plaza|Rua|Largo)\s+(?:(?:del|della|dei|degli|di|de|la|do|da)\s+)?"
    rf"{_CAP}(?:\s+{_CAP})?\s+\d{{1,4}}[a-z]?\b(?![.,]\d)"
)
# German, Austrian, Swiss: a street word glued on or after an adjective, number last
# ("Königsallee 12", "Hauptstraße 5a", "Berliner Str. 7").
_DE_STREET = re.compile(
    rf"\b(?:[A-ZÄÖÜ][a-zäöüß-]*(?:straße|strasse|str\.|allee|gasse|platz|weg)|{_CAP}\s+(?:Straße|Strasse|Str\.|Allee|Gasse|Platz|Weg))"
    r"\s+\d{1,4}[a-z]?\b(?![.,]\d)"
)
# UK postcode: outward code, a space, inward code (its letters never C, I, K, M, O or V): "NW1 6XE".
_UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}\b")
# A five-digit postcode right before a capitalised town on the same line ("75001 Paris", "40212
# Düsseldorf"); the town is checked by ``_is_town`` (not "25000 Units", "45000 Copies", "12345 Pending").
_EU_POSTCODE = re.compile(rf"(?<![\w.,/-])(\d{{5}})[ \t]+({_CAP})")


def _is_town(word: str) -> bool:
    """A listed place, or a word no dictionary or clinical list knows ("Düsseldorf"); not "Units", "Euros"."""
    from domainkit.deid.lexicon import load_lexicon  # here: the lists load once, on first use

    low, lexicon = word.lower(), load_lexicon()
    return low in lexicon.places or not (lexicon.is_english(low) or low in lexicon.common)


def _english_streets(text: str) -> Iterator[PhiSpan]:
    """House number and street, unless the number follows a numbering word ("Part 7 High Court")."""
    for match in _EN_STREET.finditer(text):
        if not _NUMBERING_WORD.search(text, max(0, match.start() - 16), match.start()):
            yield PhiSpan(*match.span(), "ADDRESS")


def _eu_postcodes(text: str) -> Iterator[PhiSpan]:
    for match in _EU_POSTCODE.finditer(text):
        if _is_town(match.group(2)):
            yield PhiSpan(*match.span(1), "ADDRESS")


# The town of a US address: capitalised words right before a state code and a ZIP code, "Worcester MA
# 01609", "Glen Burnie, MD 21061". Words up to a street suffix belong to the street ("Oak Rd Worcester").
# Only in an address: after a street (its suffix, or a number and a comma: "Suite 100,"), or with
# "Town, ST" written as addresses are; "Tumor Markers CA 19999 units" and "Results OR 12345" are none.
_TOWN_BEFORE_STATE_ZIP = re.compile(rf"\b((?:[A-Z][a-z]+\.?\s){{0,2}}[A-Z][a-z]+)(,?)\s+{_STATE_CODE},?\s+\d{{5}}(?:-\d{{4}})?\b")
_STREET_SUFFIX_WORD = re.compile(rf"(?i:{_STREET_SUFFIX})\.?$")
_STREET_BEFORE = re.compile(
    rf"(?:\b(?i:{_STREET_SUFFIX})\.?|\b(?i:floor)|\b(?i:suite|ste|apt|unit|box)\s+\w+|\b\d{{1,5}}\s+\S.{{0,30}},)\s*,?\s*$"
)


def _towns_before_state_zip(text: str) -> Iterator[PhiSpan]:
    for match in _TOWN_BEFORE_STATE_ZIP.finditer(text):
        words = match.group(1).split()
        cut = max((k + 1 for k, word in enumerate(words) if _STREET_SUFFIX_WORD.match(word)), default=0)
        town = " ".join(words[cut:])
        start = match.end(1) - len(town)
        line_before = text[text.rfind("\n", 0, start) + 1 : start]
        in_address = cut > 0 or match.group(2) == "," or _STREET_BEFORE.search(line_before[-40:])
        if town and in_address:
            yield PhiSpan(start, match.end(1), "LOCATION")


def find_addresses(text: str) -> Iterator[PhiSpan]:
    yield from _spans(_ADDRESS, text, "ADDRESS")
    yield from _english_streets(text)
    for pattern in (_FR_STREET, _SOUTH_STREET, _DE_STREET, _UK_POSTCODE):
        yield from _spans(pattern, text, "ADDRESS")
    yield from _eu_postcodes(text)
    yield from _spans(_PO_BOX, text, "ADDRESS")
    yield from _spans(_ZIP_AFTER_STATE, text, "ADDRESS", 1)
    yield from _towns_before_state_zip(text)


# -- places named by their shape ------------------------------------------------------------------
_NAME_WORD = r"(?:[A-Z][a-z]+(?:['’]s)?(?:-[A-Z][a-z]+)?|St\.?|Saint)"
# A hospital, GP practice or hospice named by its head word, with the capitalised words before it and
# an "of [the] Place" after it: "Leeds General Infirmary", "Hillside Surgery", "St. Bartholomew's
# Hospital", "Royal Infirmary of Edinburgh", "Hospice of the Valley", "Northside Family Medicine".
# "Surgery" is a GP practice only after a word that names no specialty ("General Surgery" stays).
_FACILITY_HEAD = (
    r"(?:Hospital|Infirmary|Hospice|Surgery|Medical\s+(?:Center|Centre|Practice|Group)|Health\s+(?:Centre|Center)|"
    r"Cancer\s+(?:Center|Centre|Institute)|Family\s+(?:Medicine|Practice)|Group\s+Practice|Nursing\s+Home|Care\s+Home)"
)
_FACILITY = re.compile(
    rf"(?<![\w'’-])((?:{_NAME_WORD}\s+){{1,4}}){_FACILITY_HEAD}\b(?:\s+of\s+(?:the\s+)?[A-Z][a-z]+)?"
    rf"|\bHospice\s+of\s+(?:the\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?"
)
_NOT_FACILITY_NAME = frozenset(
    """the a an to from at in of on for with and or by via per this that his her their our my your dr mr mrs
    ms miss prof general cardiac cardiothoracic vascular plastic thoracic orthopaedic orthopedic colorectal
    breast upper lower day minor major oral dental eye hand spinal spine bariatric paediatric pediatric
    neuro trauma transplant urology urologic gynae gynecologic endocrine hepatobiliary acute elective
    emergency ambulatory same previous prior recent further had has post pre after before needs needed
    require requires required discharged admitted transferred sent seen referred mental state county
    city university community teaching local private veterans va children's childrens women's""".split()
)
# A town after an institution or a street and a comma: "St. Bartholomew's Hospital, London",
# "601 N. Caroline St, Baltimore", "Mill Road Surgery, Cambridge". States and countries after it stay
# (HIPAA Safe Harbor keeps them; the deid-dev annotators leave "MD" and "Maryland" alone).
_TOWN_AFTER = re.compile(
    r"\b(?:Hospital|Infirmary|Hospice|Surgery|Practice|Clinic|Centre|Center|Pharmacy|pharmacy|University|College|"
    r"School|Academy|Home|House|Cottage|Farm|Lane|Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|Drive|Way|Close|"
    r"Court|Crescent|Terrace|Square|Gardens|Row|Mews|Place)\.?,[ \t]+([A-Z][a-z'-]+(?:[ \t]+[A-Z][a-z'-]+){0,2})"
)
# A street with no house number after a house name: "Rose Cottage, Mill Lane"; a flat before a
# numbered street: "Flat 3, 19 Regent Street"; a corner: "5th Ave & 42nd St".
_NAMED_STREET = re.compile(
    r"\b(?:Cottage|House|Farm|Lodge|Barn|Hall|Manor)\.?,[ \t]+([A-Z][a-z]+(?:[ \t][A-Z][a-z]+)?[ \t]"
    r"(?:Lane|Road|Street|Avenue|Close|Way|Drive|Crescent|Terrace|Gardens|Row|Mews|Square|Place))\b"
)
_FLAT = re.compile(r"\b(?:Flat|Apt\.?|Apartment|Suite)[ \t]+\d{1,4}[A-Za-z]?,?[ \t]+(?=\d{1,5}[A-Z]?[ \t]+[A-Z][a-z])")
_STREET_WORD = r"(?:Ave|Avenue|St|Street|Blvd|Boulevard|Rd|Road)\.?"
_CORNER = re.compile(
    rf"\b(?:\d{{1,3}}(?:st|nd|rd|th)|[A-Z][a-z]+)[ \t]+{_STREET_WORD}[ \t]*(?:&|and)[ \t]*"
    rf"(?:\d{{1,3}}(?:st|nd|rd|th)|[A-Z][a-z]+)[ \t]+{_STREET_WORD}(?!\w)"
)


def _town_span(text: str, start: int, words: str) -> PhiSpan | None:
    """The longest leading run of ``words`` that is a listed town, or one word no list explains."""
    from domainkit.deid.lexicon import STOP_WORDS, load_lexicon

    lexicon = load_lexicon()
    parts = words.split()
    for width in range(len(parts), 0, -1):
        phrase = " ".join(parts[:width]).lower()
        if phrase in lexicon.places and not lexicon.is_common(phrase):
            return PhiSpan(start, start + len(" ".join(parts[:width])), "LOCATION")
    first = parts[0].lower()
    if (len(first) >= 4 and first not in STOP_WORDS and first not in lexicon.clinical and not lexicon.is_english(first)
            and not lexicon.is_keep(first) and not lexicon.near_keep(first)):
        return PhiSpan(start, start + len(parts[0]), "LOCATION")
    return None


def find_places(text: str) -> Iterator[PhiSpan]:
    """Institutions by their head word, towns after an institution or street, streets without a number."""
    for match in _FACILITY.finditer(text):
        if match.group(1):
            names = match.group(1).split()
            while names and names[0].lower().strip(".") in _NOT_FACILITY_NAME:
                names.pop(0)
            if not names or (match.group(0).split()[-1] == "Surgery" and names[-1].lower() in _NOT_FACILITY_NAME):
                continue
            start = match.start() + match.group(0).index(names[0])
            yield PhiSpan(start, match.end(), "LOCATION")
        else:
            yield PhiSpan(*match.span(), "LOCATION")
    for match in _TOWN_AFTER.finditer(text):
        span = _town_span(text, match.start(1), match.group(1))
        if span is not None:
            yield span
    yield from _spans(_NAMED_STREET, text, "ADDRESS", 1)
    yield from _spans(_FLAT, text, "ADDRESS")
    yield from _spans(_CORNER, text, "ADDRESS")


def find_patterns(text: str) -> Iterator[PhiSpan]:
    """Every shape-based identifier in ``text``. Labelled identifiers come first: where one and a
    phone shape cover the same digits ("NHS number 943 476 5919") the merged span keeps the ID type."""
    yield from labelled_ids(text)
    yield from find_contacts(text)
    yield from _unlabelled_ids(text)
    yield from find_dates(text)
    yield from find_ages(text)
    yield from find_addresses(text)
    yield from find_places(text)
