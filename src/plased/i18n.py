"""Khmer and English texts for the common error titles and details.

Codes never change with the language; only ``title`` and ``detail`` do.
"""

from typing import Literal

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
