"""Khmer and English texts for the common error titles and details, and Khmer texts for
field messages (``errors[].message``).

Codes and pointers never change with the language; only ``title``, ``detail`` and the field
messages do.
"""

from collections.abc import Mapping
from typing import Literal

from starlette.requests import Request

Language = Literal["en", "km"]

# code -> language -> (title, generic detail)
MESSAGES: dict[str, dict[Language, tuple[str, str]]] = {
    "not_found": {
        "en": ("Not found", "The requested resource does not exist."),
        "km": ("រកមិនឃើញ", "ធនធានដែលបានស្នើសុំមិនមានទេ។"),
    },
    "route_not_found": {
        "en": ("Not found", "No endpoint answers at this address."),
        "km": ("រកមិនឃើញ", "គ្មានចំណុចបញ្ចប់ណាមួយនៅអាសយដ្ឋាននេះទេ។"),
    },
    "method_not_allowed": {
        "en": ("Method not allowed", "This endpoint does not accept this HTTP method."),
        "km": ("វិធីសាស្ត្រមិនត្រូវបានអនុញ្ញាត", "ចំណុចបញ្ចប់នេះមិនទទួលវិធីសាស្ត្រ HTTP នេះទេ។"),
    },
    "validation_failed": {
        "en": ("Invalid request", "One or more fields are invalid; see errors."),
        "km": ("សំណើមិនត្រឹមត្រូវ", "វាលមួយ ឬច្រើនមិនត្រឹមត្រូវ សូមមើល errors។"),
    },
    "not_authenticated": {
        "en": ("Authentication required", "Send a valid bearer access token."),
        "km": ("តម្រូវឱ្យផ្ទៀងផ្ទាត់អត្តសញ្ញាណ", "សូមផ្ញើនិមិត្តសញ្ញាចូលប្រើដែលត្រឹមត្រូវ។"),
    },
    "invalid_token": {
        "en": ("Invalid token", "The token is invalid, expired or revoked."),
        "km": ("និមិត្តសញ្ញាមិនត្រឹមត្រូវ", "និមិត្តសញ្ញាមិនត្រឹមត្រូវ ផុតកំណត់ ឬត្រូវបានដកហូត។"),
    },
    "invalid_credentials": {
        "en": ("Invalid credentials", "The email or the password is wrong."),
        "km": ("ព័ត៌មានចូលមិនត្រឹមត្រូវ", "អ៊ីមែល ឬពាក្យសម្ងាត់មិនត្រឹមត្រូវ។"),
    },
    "forbidden": {
        "en": ("Forbidden", "Your role does not allow this action."),
        "km": ("មិនមានសិទ្ធិ", "តួនាទីរបស់អ្នកមិនអនុញ្ញាតសកម្មភាពនេះទេ។"),
    },
    "conflict": {
        "en": ("Conflict", "The request conflicts with the current state of the resource."),
        "km": ("ជម្លោះ", "សំណើនេះផ្ទុយនឹងស្ថានភាពបច្ចុប្បន្ននៃធនធាន។"),
    },
    "invalid_transition": {
        "en": ("Invalid state change", "This action is not allowed in the current state."),
        "km": ("ការផ្លាស់ប្តូរស្ថានភាពមិនត្រឹមត្រូវ", "សកម្មភាពនេះមិនត្រូវបានអនុញ្ញាតក្នុងស្ថានភាពបច្ចុប្បន្នទេ។"),
    },
    "precondition_failed": {
        "en": ("Precondition failed", "The resource was changed since you read it."),
        "km": ("លក្ខខណ្ឌជាមុនមិនត្រូវគ្នា", "ធនធាននេះត្រូវបានផ្លាស់ប្តូរតាំងពីអ្នកបានអាន។"),
    },
    "payload_too_large": {
        "en": ("Payload too large", "The request body is larger than this server accepts."),
        "km": ("ទិន្នន័យធំពេក", "តួសំណើធំជាងអ្វីដែលម៉ាស៊ីនមេនេះទទួលយក។"),
    },
    "range_not_satisfiable": {
        "en": ("Range not satisfiable", "No byte of the requested range exists in the file."),
        "km": ("ជួរបៃមិនអាចផ្តល់ជូនបាន", "គ្មានបៃណាមួយនៃជួរដែលបានស្នើសុំមាននៅក្នុងឯកសារទេ។"),
    },
    "rate_limited": {
        "en": ("Too many requests", "Too many attempts; try again after Retry-After seconds."),
        "km": ("សំណើច្រើនពេក", "ការព្យាយាមច្រើនពេក សូមព្យាយាមម្តងទៀតនៅពេលក្រោយ។"),
    },
    "service_unavailable": {
        "en": ("Service unavailable", "The service is not ready."),
        "km": ("សេវាមិនអាចប្រើបាន", "សេវាមិនទាន់រួចរាល់ទេ។"),
    },
    "internal_error": {
        "en": ("Internal error", "Something went wrong on our side; quote the request id."),
        "km": ("កំហុសប្រព័ន្ធ", "មានបញ្ហានៅខាងយើង សូមយោងលេខសម្គាល់សំណើ។"),
    },
}

GENERIC: dict[Language, tuple[str, str]] = {
    "en": ("Error", "The request could not be completed."),
    "km": ("កំហុស", "សំណើមិនអាចបញ្ចប់បានទេ។"),
}


def prefers_khmer(request: Request) -> bool:
    """Whether the request's Accept-Language asks for Khmer: ``display_*`` fields then prefer
    the Khmer text of a bilingual record."""
    return negotiate(request.headers.get("accept-language")) == "km"


def display(text: str, text_km: str | None, khmer: bool) -> str:
    """A bilingual record's text as shown: the Khmer one when asked for and set."""
    return text_km if khmer and text_km else text


def negotiate(accept_language: str | None) -> Language:
    """Pick ``km`` or ``en`` from an Accept-Language header (q-values honoured)."""
    if not accept_language:
        return "en"
    best: tuple[float, Language] = (0.0, "en")
    for part in accept_language.split(","):
        piece = part.strip()
        if not piece:
            continue
        tag, _, params = piece.partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in ("km", "en") and quality > best[0]:
            best = (quality, "km" if primary == "km" else "en")
    return best[1]


def message(code: str, language: Language) -> tuple[str, str]:
    return MESSAGES.get(code, {}).get(language) or GENERIC[language]


# Field-level messages (``errors[].message``) in Khmer. English comes from pydantic or from
# the code that raised the error and stays as it is; only Khmer is looked up here, by the
# error's ``code``. ``{name}`` takes a constraint from pydantic's ``ctx`` (a limit, the
# allowed choices), never the submitted value (see ``CONSTRAINTS``). All of these, like the
# texts above, await a native speaker's review (docs/conventions.md, Errors).
_DATE = "ត្រូវតែជាកាលបរិច្ឆេទ ឧ. 2026-01-31។"
_DATETIME = "ត្រូវតែជាកាលបរិច្ឆេទ និងម៉ោង ឧ. 2026-01-31T08:00:00+07:00។"
_INTEGER = "ត្រូវតែជាចំនួនគត់។"
_NUMBER = "ត្រូវតែជាលេខ។"
_OBJECT = "ត្រូវតែជាវត្ថុ JSON។"
_TIME_ZONE = "សូមបញ្ជាក់តំបន់ម៉ោង ឧ. +07:00។"
_URL = "ត្រូវតែជា URL ត្រឹមត្រូវ។"
_UUID = "ត្រូវតែជា UUID។"

FIELD_KM: dict[str, str] = {
    # pydantic's error types
    "missing": "ត្រូវការវាលនេះ។",
    "extra_forbidden": "មិនអនុញ្ញាតវាលនេះទេ។",
    "string_type": "ត្រូវតែជាអត្ថបទ។",
    "string_too_short": "ត្រូវមានយ៉ាងតិច {min_length} តួអក្សរ។",
    "string_too_long": "ត្រូវមានយ៉ាងច្រើន {max_length} តួអក្សរ។",
    "string_pattern_mismatch": "ទម្រង់មិនត្រឹមត្រូវ។",
    "int_type": _INTEGER,
    "int_parsing": _INTEGER,
    "int_from_float": _INTEGER,
    "float_type": _NUMBER,
    "float_parsing": _NUMBER,
    "finite_number": _NUMBER,
    "bool_type": "ត្រូវតែជា true ឬ false។",
    "bool_parsing": "ត្រូវតែជា true ឬ false។",
    "greater_than": "ត្រូវតែធំជាង {gt}។",
    "greater_than_equal": "ត្រូវតែធំជាង ឬស្មើ {ge}។",
    "less_than": "ត្រូវតែតូចជាង {lt}។",
    "less_than_equal": "ត្រូវតែតូចជាង ឬស្មើ {le}។",
    "list_type": "ត្រូវតែជាបញ្ជី។",
    "too_short": "ត្រូវមានយ៉ាងតិច {min_length} ធាតុ។",
    "too_long": "ត្រូវមានយ៉ាងច្រើន {max_length} ធាតុ។",
    "enum": "ត្រូវតែជាតម្លៃមួយក្នុងចំណោម {expected}។",
    "literal_error": "ត្រូវតែជាតម្លៃមួយក្នុងចំណោម {expected}។",
    "uuid_type": _UUID,
    "uuid_parsing": _UUID,
    "uuid_version": _UUID,
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "datetime_type": _DATETIME,
    "datetime_parsing": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "timezone_aware": _TIME_ZONE,
    "json_invalid": "តួសំណើមិនមែនជា JSON ត្រឹមត្រូវទេ។",
    "json_type": "តួសំណើមិនមែនជា JSON ត្រឹមត្រូវទេ។",
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "dict_type": _OBJECT,
    "url_type": _URL,
    "url_parsing": _URL,
    "url_scheme": _URL,
    "url_too_long": _URL,
    "value_error": "តម្លៃមិនត្រឹមត្រូវ។",
    # value_error raised by email validation (the code stays ``value_error``)
    "email": "អាសយដ្ឋានអ៊ីមែលមិនត្រឹមត្រូវ។",
    # ours: an explicit null sent for a field that may only be left out (plased.schemas)
    "required": "មិនអាចទុកវាលនេះឱ្យទទេបានទេ។",
    # ours, raised with field_error() or listed in errors[] by hand
    "timezone_required": _TIME_ZONE,
    "out_of_range": "ត្រូវតែនៅចន្លោះឆ្នាំ 1900 និង 2999។",
    "nul_character": "មិនអនុញ្ញាតតួអក្សរ NUL ទេ។",
    "unknown_sort_key": "មិនអាចតម្រៀបតាមនេះបានទេ។",
    "reason_required": "សូមផ្តល់មូលហេតុ។",
    "wrong_password": "ពាក្យសម្ងាត់បច្ចុប្បន្នមិនត្រឹមត្រូវ។",
    "unsafe_url": "URL នេះមិនអាចទទួលព្រឹត្តិការណ៍បានទេ (https និងអាសយដ្ឋានសាធារណៈតែប៉ុណ្ណោះ)។",
    "unknown_event_type": "ប្រភេទព្រឹត្តិការណ៍មិនស្គាល់។",
    "invalid_secret": "អាថ៌កំបាំងត្រូវចាប់ផ្តើមដោយ whsec_ ហើយមាន base64 នៃ 24 ដល់ 64 បៃ។",
    "scope_required": "សូមផ្តល់ platform_id ឬ organisation_id តែមួយប៉ុណ្ណោះ។",
    "invalid_range": "ពេលចាប់ផ្តើមមិនត្រូវនៅក្រោយពេលបញ្ចប់ទេ។",
    "unknown_platform": "រកមិនឃើញវេទិកានេះទេ។",
    "unknown_organisation": "រកមិនឃើញអង្គការនេះទេ។",
    "unknown_person": "រកមិនឃើញបុគ្គលនេះក្នុងវេទិកានេះទេ។",
    "unknown_user": "រកមិនឃើញអ្នកប្រើប្រាស់សកម្មនេះទេ។",
    "unknown_meeting": "រកមិនឃើញកិច្ចប្រជុំនេះទេ។",
    "unknown_agenda_item": "មិនមែនជារបៀបវារៈនៃកិច្ចប្រជុំនេះទេ។",
    "unknown_unit": "រកមិនឃើញតំបន់ភូមិសាស្ត្រនេះទេ។",
    "unknown_category": "រកមិនឃើញប្រភេទនេះក្នុងវេទិកានេះទេ។",
    "unknown_taxonomy": "រកមិនឃើញចំណាត់ថ្នាក់សេវាកម្មនេះក្នុងបញ្ជីសេវាកម្មនេះទេ។",
    "before_start": "កាលបរិច្ឆេទបញ្ចប់នៅមុនកាលបរិច្ឆេទចាប់ផ្តើម។",
    "ends_before_start": "ពេលបញ្ចប់នៅមុនពេលចាប់ផ្តើម។",
    "term_inverted": "អាណត្តិបញ្ចប់មុនពេលចាប់ផ្តើម។",
    "period_inverted": "រយៈពេលបញ្ចប់មុនពេលចាប់ផ្តើម។",
    "unknown_parameter": "ប៉ារ៉ាម៉ែត្រនេះមិនត្រូវបានទទួលយកនៅទីនេះទេ។",
    "unknown_indicator": "មិនមានសូចនាករនេះសម្រាប់វេទិកានេះទេ។",
    "wrong_unit": "តម្លៃមិនត្រូវនឹងឯកតារបស់សូចនាករទេ។",
    "training_only": "មានតែវគ្គបណ្តុះបណ្តាលទេដែលមានប្រធានបទ គ្រូបណ្តុះបណ្តាល និងក្រុមគោលដៅ។",
    "age_range_inverted": "age_min មិនត្រូវធំជាង age_max ទេ។",
    "unsupported_file_type": "សូមភ្ជាប់ឯកសារ PDF, ODT ឬ DOCX។",
    # value chains
    "unknown_district": "រកមិនឃើញស្រុកនេះទេ។",
    "unknown_criterion": "រកមិនឃើញលក្ខណៈវិនិច្ឆ័យនេះក្នុងវេទិកានេះទេ។",
    "duplicate_criterion": "លក្ខណៈវិនិច្ឆ័យនីមួយៗតែម្តងប៉ុណ្ណោះ។",
    "score_out_of_scale": "ពិន្ទុនៅក្រៅមាត្រដ្ឋាននៃលក្ខណៈវិនិច្ឆ័យ។",
    "weights_not_positive": "ផលបូកទម្ងន់នៃលក្ខណៈវិនិច្ឆ័យត្រូវតែធំជាងសូន្យ។",
    "unknown_motion": "រកមិនឃើញសំណើនៃស្ថាប័នដែលសម្រេចរឿងនេះទេ។",
    "decision_required": "សូមផ្តល់សំណើដែលបានសម្រេច ឬមូលហេតុ។",
    # lists
    "unsupported": "បញ្ជីនេះមិនមានពេលវេលាកែប្រែទេ។",
    # referrals and the service directory
    "unit_too_large": "សូមផ្តល់ភូមិ ឃុំ ឬស្រុក។",
    "own_service": "អង្គការមិនអាចបញ្ជូនមកខ្លួនឯងបានទេ។",
    "provider_not_member": "អ្នកផ្តល់សេវាត្រូវតែជាសមាជិកសកម្មនៃវេទិកានេះ។",
    "service_not_available": "សូមបញ្ជូនទៅសេវាដែលបានផ្សព្វផ្សាយរបស់អ្នកផ្តល់សេវាជាសមាជិកសកម្ម។",
    "provider_unreachable": "អ្នកផ្តល់សេវាមិនមានគណនីបុគ្គលិកសកម្មដើម្បីទទួលការបញ្ជូនទេ។",
    "too_deep": "ចំណាត់ថ្នាក់មានតែពីរកម្រិត សូមជ្រើសរើសប្រភេទកម្រិតខ្ពស់។",
    # governance
    "not_a_facilitator": "អ្នកសម្របសម្រួលម្នាក់ៗត្រូវមានតួនាទីជាអ្នកសម្របសម្រួលក្នុងវេទិកានេះ។",
    "not_a_permutation": "សូមរាយធាតុនីមួយៗតែម្តងគត់។",
    "not_invited": "មានតែអ្នកបោះឆ្នោតដែលបានអញ្ជើញប៉ុណ្ណោះចូលរួមកិច្ចប្រជុំនេះ។",
    "rule_not_allowed": "បទបញ្ជាមិនអនុញ្ញាតវិធាននេះទេ។",
    # members and platforms
    "invalid_invitation": "ការអញ្ជើញនេះមិនស្គាល់ ប្រើរួច ដកហូត ឬផុតកំណត់ សូមស្នើសុំការអញ្ជើញថ្មី។",
    "parent_membership_required": "អង្គការត្រូវតែជាសមាជិកសកម្មនៃ PLASED មេជាមុនសិន។",
    "other_platform_family": "អង្គការនេះបានចុះឈ្មោះជាមួយវេទិកាផ្សេង។",
    "sector_required": "អង្គការសង្គមស៊ីវិលត្រូវការវិស័យ។",
    "sector_not_allowed": "មានតែអង្គការសង្គមស៊ីវិលទេដែលមានវិស័យ។",
    "la_level_required": "អាជ្ញាធរមូលដ្ឋានត្រូវការកម្រិត។",
    "unit_required": "អាជ្ញាធរមូលដ្ឋានត្រូវការតំបន់ដែលខ្លួនគ្រប់គ្រង។",
    "la_level_not_allowed": "មានតែអាជ្ញាធរមូលដ្ឋានទេដែលមានកម្រិត។",
    "la_level_mismatch": "កម្រិតរបស់អាជ្ញាធរមិនត្រូវនឹងកម្រិតនៃតំបន់ដែលខ្លួនគ្រប់គ្រងទេ។",
    "platform_required": "សូមត្រងតាម platform_id ផងដែរ។",
    "parent_not_allowed": "វេទិកា PLASED មិនមានវេទិកាមេទេ។",
    "parent_required": "COSS ជាកម្មសិទ្ធិរបស់វេទិកា PLASED មួយ។",
    "invalid_parent": "វេទិកាមេត្រូវតែជាវេទិកា PLASED ដែលមានស្រាប់។",
    # strategies
    "meeting_not_of_focus_group": "សូមភ្ជាប់តែកិច្ចប្រជុំនៃក្រុមពិភាក្សាតាមខ្សែសង្វាក់តម្លៃនេះប៉ុណ្ណោះ។",
    "owner_not_member": "ម្ចាស់សកម្មភាពត្រូវតែជាអង្គការសមាជិកសកម្មនៃវេទិកា។",
    # initiatives
    "organisation_not_member": "អង្គការត្រូវតែជាសមាជិកសកម្មនៃវេទិកា។",
    "unknown_value_chain": "រកមិនឃើញខ្សែសង្វាក់តម្លៃនេះក្នុងវេទិកានេះទេ។",
    "unknown_strategy_action": "រកមិនឃើញសកម្មភាពនេះក្នុងយុទ្ធសាស្ត្រនៃខ្សែសង្វាក់តម្លៃនេះទេ។",
    "done_in_future": "កាលបរិច្ឆេទបញ្ចប់មិនអាចនៅថ្ងៃអនាគតបានទេ។",
    "done_before_created": "ដំណាក់កាលមិនអាចបញ្ចប់មុនពេលវាត្រូវបានកត់ត្រាទេ។",
    "held_in_future": "វគ្គណែនាំមិនអាចកើតឡើងនៅថ្ងៃអនាគតបានទេ។",
    "person_not_linked": "សូមណែនាំតែបុគ្គលដែលតំណាងឱ្យអង្គការសមាជិកនៃវេទិកាប៉ុណ្ណោះ។",
    "evidence_in_future": "ភស្តុតាងមិនអាចមានកាលបរិច្ឆេទនៅថ្ងៃអនាគតបានទេ។",
    "unknown_commitment": "រកមិនឃើញការប្តេជ្ញាចិត្តនេះក្នុងវេទិកានេះទេ។",
    "made_in_future": "ការប្តេជ្ញាចិត្តមិនអាចធ្វើឡើងនៅថ្ងៃអនាគតបានទេ។",
    "unknown_initiative": "រកមិនឃើញគំនិតផ្តួចផ្តើមនេះក្នុងវេទិកានេះទេ។",
    # community mapping
    "not_a_cbo": "មានតែអង្គការសង្គមស៊ីវិលនៃវិស័យអង្គការសហគមន៍មូលដ្ឋាន (cbo) ប៉ុណ្ណោះ។",
    "not_a_village": "សូមជ្រើសរើសភូមិមួយ។",
    "women_exceed_members": "ចំនួនសមាជិកស្ត្រីមិនអាចលើសចំនួនសមាជិកសរុបបានទេ។",
    "founded_in_future": "ឆ្នាំបង្កើតមិនអាចនៅក្រោយឆ្នាំនេះបានទេ។",
    "target_exactly_one": "សូមដាក់គោលដៅតែមួយ៖ អាជ្ញាធរមូលដ្ឋាន ឬស្ថាប័នថ្នាក់ជាតិ។",
    "not_a_local_authority": "អង្គការគោលដៅត្រូវតែជាអាជ្ញាធរមូលដ្ឋាន។",
    # action plan
    "one_link_only": "ធាតុមួយភ្ជាប់ទៅគំនិតផ្តួចផ្តើម ឬសកម្មភាពយុទ្ធសាស្ត្រ មិនមែនទាំងពីរទេ។",
}

# Khmer for the English messages our own validators raise as ValueError (code
# ``value_error``), by the message or its start; any other gets FIELD_KM["value_error"].
WRITTEN_KM: dict[str, str] = {
    "NUL characters are not allowed.": FIELD_KM["nul_character"],
    "Unknown time zone;": "តំបន់ម៉ោងមិនស្គាល់ សូមប្រើឈ្មោះ IANA ដូចជា Asia/Phnom_Penh។",
    "Unknown majority rule;": "វិធានសំឡេងភាគច្រើនមិនស្គាល់។",
    "Deadlines must not grow with urgency": (
        "រយៈពេលកំណត់មិនត្រូវកើនឡើងតាមភាពបន្ទាន់ទេ៖ emergency ≤ urgent ≤ routine។"
    ),
    "youth_min_age must not exceed youth_max_age.": "youth_min_age មិនត្រូវធំជាង youth_max_age ទេ។",
    "age_min must not exceed age_max.": FIELD_KM["age_range_inverted"],
    "scale_min must be below scale_max.": "scale_min ត្រូវតែតូចជាង scale_max។",
}

# Any other field error: a code of our own with no Khmer text yet.
FIELD_GENERIC_KM = "តម្លៃនៃវាលនេះមិនត្រឹមត្រូវ។"

# The ctx entries a Khmer text may quote: limits and choices set by the API, never what the
# caller sent (pydantic's ctx may also hold the input, or a parser error quoting it).
CONSTRAINTS = frozenset({"min_length", "max_length", "gt", "ge", "lt", "le", "expected"})


def _constraint(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # pydantic writes choices as "'a', 'b' or 'c'".
    return str(value).replace("' or '", "' ឬ '")


def field_message(
    code: str, language: Language, *, english: str, ctx: Mapping[str, object] | None = None
) -> str:
    """The text of one ``errors[]`` item: ``english`` as given, or Khmer for ``code``."""
    if language == "en":
        return english
    template = FIELD_KM.get(code, FIELD_GENERIC_KM)
    if code == "value_error":
        written = (km for start, km in WRITTEN_KM.items() if english.startswith(start))
        template = next(written, template)
    values = {k: _constraint(v) for k, v in (ctx or {}).items() if k in CONSTRAINTS}
    try:
        return template.format_map(values)
    except (KeyError, IndexError, ValueError):
        return FIELD_GENERIC_KM
