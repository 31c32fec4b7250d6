"""Lifecycle status messages (CDAR): the BR-FR-CDV rules, with our messages.

The rules themselves are implemented in :mod:`einvoice_gov.cdar.rules` (FNFE-MPE BR-FR-CDV
V1.4.0); this module gives each rule id its stage, severity, business terms (MDT-nn, the
numbering of the French lifecycle message), our message in English and French and a fix hint.
A status message is usually produced by the platform (PA) or by the accounting software that
answers for the buyer or the seller: the hints say what to change in what it sends.
"""

from __future__ import annotations

from einvoice_gov.cdar.rules import VERSION
from einvoice_gov.validation.findings import Severity, Stage
from einvoice_gov.validation.registry import Applies, rule

E, W = Severity.ERROR, Severity.WARNING
CDV = Stage.BR_FR_CDV
ALWAYS_TRUE = (
    "The official test checks the rule's own context element, so it can never fail: the rule "
    "is listed for completeness and never fires."
)


def _cdv(
    code: str,
    severity: Severity,
    *,
    en: str,
    fr: str,
    fix_en: str,
    fix_fr: str,
    bt: tuple[str, ...],
    notes: str = "",
) -> None:
    rule(
        code,
        CDV,
        severity,
        en=en,
        fr=fr,
        fix_en=fix_en,
        fix_fr=fix_fr,
        bt=bt,
        mirrors=VERSION,
        notes=notes,
        applies=(Applies("br-fr-cdv/cdar", severity),),
        family="BR-FR-CDV",
    )


_cdv(
    "BR-FR-04_MDT-91",
    E,
    en="The type of the invoice the status is about (MDT-91) is not a type allowed in France.",
    fr="Le type de la facture concernée par le statut (MDT-91) n'est pas un type autorisé en "
    "France.",
    fix_en="Copy the invoice's type code (BT-3): 380 invoice, 381 credit note, 384 corrected "
    "invoice, 386 prepayment invoice, 389 self-billed invoice…",
    fix_fr="Reprenez le code type de la facture (BT-3) : 380 facture, 381 avoir, 384 facture "
    "rectificative, 386 facture d'acompte, 389 autofacture…",
    bt=("MDT-91",),
)
_cdv(
    "BR-FR-CDV-01_MDG-3",
    E,
    en="The message profile block (MDG-3) is missing.",
    fr="Le bloc du profil du message (MDG-3) manque.",
    fix_en="Add ExchangedDocumentContext/GuidelineSpecifiedDocumentContextParameter.",
    fix_fr="Ajoutez ExchangedDocumentContext/GuidelineSpecifiedDocumentContextParameter.",
    bt=("MDG-3",),
    notes=ALWAYS_TRUE,
)
_cdv(
    "BR-FR-CDV-02_MDT-3",
    E,
    en="The message profile (MDT-3) is wrong: it must be urn.cpro.gouv.fr:1p0:CDV:invoice, or "
    "urn.cpro.gouv.fr:1p0:CDV:einvoicingF2 when the only recipient is the PPF.",
    fr="Le profil du message (MDT-3) est faux : il doit valoir urn.cpro.gouv.fr:1p0:CDV:invoice, "
    "ou urn.cpro.gouv.fr:1p0:CDV:einvoicingF2 quand le seul destinataire est le PPF.",
    fix_en="Use urn.cpro.gouv.fr:1p0:CDV:invoice between platforms. Use the einvoicingF2 "
    "profile only for a message sent to the PPF alone (one recipient: identifier 0000, "
    "scheme 0238, role DFH).",
    fix_fr="Utilisez urn.cpro.gouv.fr:1p0:CDV:invoice entre plateformes. Réservez le profil "
    "einvoicingF2 au message envoyé au seul PPF (un destinataire : identifiant 0000, schéma "
    "0238, rôle DFH).",
    bt=("MDT-3",),
)
_cdv(
    "BR-FR-CDV-03_MDT-4",
    E,
    en="The status message has no identifier (MDT-4).",
    fr="Le message de statut n'a pas d'identifiant (MDT-4).",
    fix_en="Give every status message a unique identifier in ExchangedDocument/ID.",
    fix_fr="Donnez à chaque message de statut un identifiant unique dans ExchangedDocument/ID.",
    bt=("MDT-4",),
)
_cdv(
    "BR-FR-CDV-04_MDG-4",
    E,
    en="The date and time of the message (MDG-4) is missing.",
    fr="La date et l'heure du message (MDG-4) manquent.",
    fix_en="Add ExchangedDocument/IssueDateTime.",
    fix_fr="Ajoutez ExchangedDocument/IssueDateTime.",
    bt=("MDG-4",),
    notes=ALWAYS_TRUE,
)
_cdv(
    "BR-FR-CDV-05_MDG-9",
    E,
    en="The sender of the message (MDG-9) is missing.",
    fr="L'émetteur technique du message (MDG-9) manque.",
    fix_en="Add ExchangedDocument/SenderTradeParty with its role.",
    fix_fr="Ajoutez ExchangedDocument/SenderTradeParty avec son rôle.",
    bt=("MDG-9",),
    notes=ALWAYS_TRUE,
)
_cdv(
    "BR-FR-CDV-06_MDT-21",
    E,
    en="The role of the sender (MDT-21) is missing.",
    fr="Le rôle de l'émetteur technique (MDT-21) manque.",
    fix_en="Add SenderTradeParty/RoleCode (WK for a platform).",
    fix_fr="Ajoutez SenderTradeParty/RoleCode (WK pour une plateforme).",
    bt=("MDT-21",),
    notes=ALWAYS_TRUE,
)
_cdv(
    "BR-FR-CDV-07_MDT-38_yes",
    E,
    en="A processing-phase status (MDT-77 = 23) must identify who issues it (MDT-38), and it "
    "does not.",
    fr="Un statut de la phase de traitement (MDT-77 = 23) doit identifier son auteur (MDT-38), "
    "et ce n'est pas le cas.",
    fix_en="Put the SIREN of the company that sets the status (the buyer when it approves, "
    "disputes or refuses; the seller for 209 or 212) in IssuerTradeParty/GlobalID, scheme "
    "0002.",
    fix_fr="Indiquez le SIREN de l'entreprise qui pose le statut (l'acheteur quand il approuve, "
    "conteste ou refuse ; le vendeur pour 209 ou 212) dans IssuerTradeParty/GlobalID, schéma "
    "0002.",
    bt=("MDT-38", "MDT-77"),
)
_cdv(
    "BR-FR-CDV-07_MDT-38_no",
    E,
    en="A transmission-phase status (MDT-77 = 305) should not carry the issuer's identifier "
    "(MDT-38).",
    fr="Un statut de la phase de transmission (MDT-77 = 305) ne devrait pas porter "
    "l'identifiant de son auteur (MDT-38).",
    fix_en="Remove IssuerTradeParty/GlobalID from transmission-phase statuses.",
    fix_fr="Retirez IssuerTradeParty/GlobalID des statuts de la phase de transmission.",
    bt=("MDT-38", "MDT-77"),
    notes="In the official schematron this rule shares its context with BR-FR-CDV-07_MDT-38_yes, "
    "so it is never run (and its test is always true): it never fires.",
)
_cdv(
    "BR-FR-CDV-08_MDT-73",
    E,
    en="A recipient other than a platform (WK) or the PPF (DFH) has no electronic address "
    "(MDT-73).",
    fr="Un destinataire autre qu'une plateforme (WK) ou le PPF (DFH) n'a pas d'adresse "
    "électronique (MDT-73).",
    fix_en="Give each company recipient its electronic address from the directory "
    "(RecipientTradeParty/URIUniversalCommunication/URIID, scheme 0225).",
    fix_fr="Donnez à chaque entreprise destinataire son adresse électronique de l'annuaire "
    "(RecipientTradeParty/URIUniversalCommunication/URIID, schéma 0225).",
    bt=("MDT-73", "MDT-59"),
)
_cdv(
    "BR-FR-CDV-09_MDT-77",
    E,
    en="The phase of the status (MDT-77) must be 23 (processing) or 305 (transmission).",
    fr="La phase du statut (MDT-77) doit valoir 23 (traitement) ou 305 (transmission).",
    fix_en="Use 305 for the statuses the platforms set while carrying the invoice (200 to "
    "203, 213) and 23 for those the buyer or seller set (204 to 212).",
    fix_fr="Mettez 305 pour les statuts posés par les plateformes pendant l'acheminement (200 "
    "à 203, 213) et 23 pour ceux posés par l'acheteur ou le vendeur (204 à 212).",
    bt=("MDT-77",),
)
_cdv(
    "BR-FR-CDV-10_MDT-87",
    E,
    en="The number of the invoice the status is about (MDT-87) is missing.",
    fr="Le numéro de la facture concernée par le statut (MDT-87) manque.",
    fix_en="Copy the invoice number (BT-1) in ReferenceReferencedDocument/IssuerAssignedID.",
    fix_fr="Reprenez le numéro de facture (BT-1) dans "
    "ReferenceReferencedDocument/IssuerAssignedID.",
    bt=("MDT-87",),
    notes=ALWAYS_TRUE,
)
_cdv(
    "BR-FR-CDV-11_MDG-35",
    E,
    en="The date of the invoice the status is about (MDG-35) is missing.",
    fr="La date de la facture concernée par le statut (MDG-35) manque.",
    fix_en="Copy the invoice date (BT-2) in ReferenceReferencedDocument/FormattedIssueDateTime "
    "(format 102, YYYYMMDD). Only a 501 (inadmissible file) may go without it.",
    fix_fr="Reprenez la date de facture (BT-2) dans "
    "ReferenceReferencedDocument/FormattedIssueDateTime (format 102, AAAAMMJJ). Seul un 501 "
    "(fichier irrecevable) peut s'en passer.",
    bt=("MDG-35", "MDT-100"),
)
_cdv(
    "BR-FR-CDV-12_MDT-105",
    E,
    en="The status code (MDT-105) is missing.",
    fr="Le code du statut (MDT-105) manque.",
    fix_en="Put the status code (200 Submitted, 210 Refused, 212 Payment received…) in "
    "ReferenceReferencedDocument/ProcessConditionCode.",
    fix_fr="Indiquez le code du statut (200 Déposée, 210 Refusée, 212 Encaissée…) dans "
    "ReferenceReferencedDocument/ProcessConditionCode.",
    bt=("MDT-105",),
)
_cdv(
    "BR-FR-CDV-13_MDT-129",
    E,
    en="The seller of the invoice the status is about has no identifier (MDT-129).",
    fr="Le vendeur de la facture concernée par le statut n'a pas d'identifiant (MDT-129).",
    fix_en="Copy the seller's SIREN (BT-30) in ReferenceReferencedDocument/IssuerTradeParty/"
    "GlobalID, scheme 0002. Only a 501 (inadmissible file) may go without it.",
    fix_fr="Reprenez le SIREN du vendeur (BT-30) dans ReferenceReferencedDocument/"
    "IssuerTradeParty/GlobalID, schéma 0002. Seul un 501 (fichier irrecevable) peut s'en "
    "passer.",
    bt=("MDT-129",),
)
_cdv(
    "BR-FR-CDV-14_MDT-207",
    E,
    en="A 212 Payment received status must give the amount received and its VAT rate (a block "
    "of type MEN with MDT-215 and MDT-224), and it does not.",
    fr="Un statut 212 Encaissée doit donner le montant encaissé et son taux de TVA (un bloc de "
    "type MEN avec MDT-215 et MDT-224), et ce n'est pas le cas.",
    fix_en="For each VAT rate of the payment, add a SpecifiedDocumentCharacteristic with "
    "TypeCode MEN, the amount received in ValueAmount and the VAT rate in ValuePercent.",
    fix_fr="Pour chaque taux de TVA du paiement, ajoutez un SpecifiedDocumentCharacteristic "
    "avec TypeCode MEN, le montant encaissé dans ValueAmount et le taux de TVA dans "
    "ValuePercent.",
    bt=("MDT-207", "MDT-215", "MDT-224", "MDG-43"),
)
_cdv(
    "BR-FR-CDV-15_MDT-113",
    E,
    en="This status (206, 207, 208, 210, 213 or 501) needs a reason code (MDT-113), and none "
    "is given.",
    fr="Ce statut (206, 207, 208, 210, 213 ou 501) exige un code motif (MDT-113), et aucun "
    "n'est donné.",
    fix_en="Add a SpecifiedDocumentStatus with the reason code (e.g. TX_TVA_ERR, DOUBLON) and, "
    "if you can, a short explanation in Reason.",
    fix_fr="Ajoutez un SpecifiedDocumentStatus avec le code motif (par exemple TX_TVA_ERR, "
    "DOUBLON) et, si possible, une courte explication dans Reason.",
    bt=("MDT-113", "MDT-105"),
    notes="The official message mislabels 206 and 208 and writes 123 for 213; the test itself "
    "checks 206, 207, 208, 210, 213 and 501.",
)
_cdv(
    "BR-FR-CDV-16_MDT-124-2",
    E,
    en="A status detail (MDG-37) has no sequence number (MDT-124-2).",
    fr="Un détail de statut (MDG-37) n'a pas de numéro d'ordre (MDT-124-2).",
    fix_en="Number the SpecifiedDocumentStatus blocks 1, 2, 3… in SequenceNumeric.",
    fix_fr="Numérotez les blocs SpecifiedDocumentStatus 1, 2, 3… dans SequenceNumeric.",
    bt=("MDT-124-2", "MDG-37"),
)
_cdv(
    "BR-FR-CDV-CL-01_MDT-2",
    E,
    en="The business process (MDT-2) is not an allowed value (only REGULATED is accepted in "
    "practice; a message for the PPF takes a code of at most 3 characters).",
    fr="Le cadre de traitement (MDT-2) n'a pas une valeur autorisée (seul REGULATED est accepté "
    "en pratique ; un message pour le PPF prend un code de 3 caractères au plus).",
    fix_en="Write REGULATED in BusinessProcessSpecifiedDocumentContextParameter/ID for an "
    "invoice of the reform; for a message sent to the PPF alone, leave it out or use a short "
    "code.",
    fix_fr="Écrivez REGULATED dans BusinessProcessSpecifiedDocumentContextParameter/ID pour une "
    "facture de la réforme ; pour un message envoyé au seul PPF, omettez-le ou mettez un code "
    "court.",
    bt=("MDT-2",),
    notes="The official test compares only REGULATED with MDT-2: NON_REGULATED, B2C, B2CINT, "
    "B2BINT and OUTOFSCOPE are compared with the whole ExchangedDocumentContext text, so in "
    "practice they are refused. We reproduce that.",
)
_cdv(
    "BR-FR-CDV-CL-02_MDT-21_305",
    E,
    en="In the transmission phase (MDT-77 = 305) the sender's role (MDT-21) must be WK (platform).",
    fr="En phase de transmission (MDT-77 = 305), le rôle de l'émetteur technique (MDT-21) doit "
    "être WK (plateforme).",
    fix_en="Set SenderTradeParty/RoleCode to WK.",
    fix_fr="Mettez WK dans SenderTradeParty/RoleCode.",
    bt=("MDT-21", "MDT-77"),
)
_cdv(
    "BR-FR-CDV-CL-02_MDT-21_23",
    E,
    en="In the processing phase (MDT-77 = 23) the sender's role (MDT-21) must be one of BY, "
    "AB, DL, SE, SR, WK, PE, PR, II, IV.",
    fr="En phase de traitement (MDT-77 = 23), le rôle de l'émetteur technique (MDT-21) doit "
    "être BY, AB, DL, SE, SR, WK, PE, PR, II ou IV.",
    fix_en="Set SenderTradeParty/RoleCode to WK when a platform sends the message, or to the "
    "sender's role (BY buyer, SE seller…).",
    fix_fr="Mettez WK dans SenderTradeParty/RoleCode quand une plateforme envoie le message, "
    "sinon le rôle de l'émetteur (BY acheteur, SE vendeur…).",
    bt=("MDT-21", "MDT-77"),
)
_cdv(
    "BR-FR-CDV-CL-03_MDT-40_305",
    E,
    en="In the transmission phase (MDT-77 = 305) the issuer's role (MDT-40) must be WK (platform).",
    fr="En phase de transmission (MDT-77 = 305), le rôle de l'auteur du statut (MDT-40) doit "
    "être WK (plateforme).",
    fix_en="Set IssuerTradeParty/RoleCode to WK: in this phase the status is set by a platform.",
    fix_fr="Mettez WK dans IssuerTradeParty/RoleCode : dans cette phase, c'est une plateforme "
    "qui pose le statut.",
    bt=("MDT-40", "MDT-77"),
)
_cdv(
    "BR-FR-CDV-CL-03_MDT-40_23",
    E,
    en="In the processing phase (MDT-77 = 23) the issuer's role (MDT-40) must be one of BY, "
    "AB, DL, SE, SR, PE, PR, II, IV (not a platform).",
    fr="En phase de traitement (MDT-77 = 23), le rôle de l'auteur du statut (MDT-40) doit être "
    "BY, AB, DL, SE, SR, PE, PR, II ou IV (pas une plateforme).",
    fix_en="Set IssuerTradeParty/RoleCode to the role of the company that sets the status: BY "
    "for the buyer, SE for the seller.",
    fix_fr="Mettez dans IssuerTradeParty/RoleCode le rôle de l'entreprise qui pose le statut : "
    "BY pour l'acheteur, SE pour le vendeur.",
    bt=("MDT-40", "MDT-77"),
)
_cdv(
    "BR-FR-CDV-CL-04_MDT-59",
    E,
    en="A recipient's role (MDT-59) is not one of BY, AB, DL, SE, SR, PE, PR, II, IV, WK, DFH.",
    fr="Le rôle d'un destinataire (MDT-59) n'est pas BY, AB, DL, SE, SR, PE, PR, II, IV, WK ou "
    "DFH.",
    fix_en="Use BY for the buyer, SE for the seller, WK for a platform, DFH for the PPF.",
    fix_fr="Mettez BY pour l'acheteur, SE pour le vendeur, WK pour une plateforme, DFH pour le "
    "PPF.",
    bt=("MDT-59",),
)
_cdv(
    "BR-FR-CDV-CL-05_MDT-88_305",
    E,
    en="In the transmission phase (MDT-77 = 305) the phase status (MDT-88) must be 10, 51, "
    "43, 8 or 48.",
    fr="En phase de transmission (MDT-77 = 305), le code d'étape (MDT-88) doit valoir 10, 51, "
    "43, 8 ou 48.",
    fix_en="Match StatusCode to the status: 10 for 200, 51 for 201, 43 for 202, 48 for 203, "
    "8 for 213; or leave it out.",
    fix_fr="Accordez StatusCode au statut : 10 pour 200, 51 pour 201, 43 pour 202, 48 pour "
    "203, 8 pour 213 ; ou omettez-le.",
    bt=("MDT-88", "MDT-77"),
)
_cdv(
    "BR-FR-CDV-CL-05_MDT-88_23",
    E,
    en="In the processing phase (MDT-77 = 23) the phase status (MDT-88) must be 45, 39, 37, "
    "50, 49, 47, 46, 1 or 5.",
    fr="En phase de traitement (MDT-77 = 23), le code d'étape (MDT-88) doit valoir 45, 39, 37, "
    "50, 49, 47, 46, 1 ou 5.",
    fix_en="Match StatusCode to the status: 45 for 204, 1 for 205, 49 for 206, 46 for 207, 39 "
    "for 208, 37 for 209, 50 for 210, 47 for 211 and 212, 5 for the others; or leave it out.",
    fix_fr="Accordez StatusCode au statut : 45 pour 204, 1 pour 205, 49 pour 206, 46 pour 207, "
    "39 pour 208, 37 pour 209, 50 pour 210, 47 pour 211 et 212, 5 pour les autres ; ou "
    "omettez-le.",
    bt=("MDT-88", "MDT-77"),
)
_cdv(
    "BR-FR-CDV-CL-06_MDT-105",
    W,
    en="The status code (MDT-105) is not in the French list of statuses.",
    fr="Le code du statut (MDT-105) n'est pas dans la liste française des statuts.",
    fix_en="Use a code of the list (200 to 214, 220 to 228, 250, 251, 300, 301, 400, 401, 500, "
    "501, 601); another code is accepted only by prior agreement with the recipient.",
    fix_fr="Utilisez un code de la liste (200 à 214, 220 à 228, 250, 251, 300, 301, 400, 401, "
    "500, 501, 601) ; un autre code n'est accepté qu'après accord avec le destinataire.",
    bt=("MDT-105",),
    notes="A warning: the list is left open for codes agreed between partners.",
)
_cdv(
    "BR-FR-CDV-CL-06_MDT-115",
    W,
    en="The status code of a status detail (MDT-115) is not in the French list of statuses.",
    fr="Le code de statut d'un détail de statut (MDT-115) n'est pas dans la liste française des "
    "statuts.",
    fix_en="Use a code of the list (200 to 214, 220 to 228, 250, 251, 300, 301, 400, 401, 500, "
    "501, 601) in SpecifiedDocumentStatus/ProcessConditionCode.",
    fix_fr="Utilisez un code de la liste (200 à 214, 220 à 228, 250, 251, 300, 301, 400, 401, "
    "500, 501, 601) dans SpecifiedDocumentStatus/ProcessConditionCode.",
    bt=("MDT-115",),
    notes="A warning: the list is left open for codes agreed between partners.",
)
_cdv(
    "BR-FR-CDV-CL-07_MDT-132",
    E,
    en="The role of the issuer of the referenced invoice (MDT-132) must be SE (seller).",
    fr="Le rôle de l'émetteur de la facture concernée (MDT-132) doit être SE (vendeur).",
    fix_en="Set ReferenceReferencedDocument/IssuerTradeParty/RoleCode to SE, or leave it out.",
    fix_fr="Mettez SE dans ReferenceReferencedDocument/IssuerTradeParty/RoleCode, ou omettez-le.",
    bt=("MDT-132",),
)
_cdv(
    "BR-FR-CDV-CL-08_MDT-158",
    E,
    en="The role of a recipient of the referenced invoice (MDT-158) is not one of BY, AB, DL, "
    "SE, SR, WK, DFH, PE, PR, II, IV.",
    fr="Le rôle d'un destinataire de la facture concernée (MDT-158) n'est pas BY, AB, DL, SE, "
    "SR, WK, DFH, PE, PR, II ou IV.",
    fix_en="Use BY for the buyer, SE for the seller, WK for a platform, DFH for the PPF.",
    fix_fr="Mettez BY pour l'acheteur, SE pour le vendeur, WK pour une plateforme, DFH pour le "
    "PPF.",
    bt=("MDT-158",),
)
_cdv(
    "BR-FR-CDV-CL-09_MDT-113",
    E,
    en="The reason code (MDT-113) is not in the French list of reasons.",
    fr="Le code motif (MDT-113) n'est pas dans la liste française des motifs.",
    fix_en="Use a code of the list (TX_TVA_ERR, MONTANTTOTAL_ERR, CALCUL_ERR, DOUBLON, "
    "DEST_ERR, CMD_ERR, JUSTIF_ABS, AUTRE…), written exactly, in capitals, without spaces.",
    fix_fr="Utilisez un code de la liste (TX_TVA_ERR, MONTANTTOTAL_ERR, CALCUL_ERR, DOUBLON, "
    "DEST_ERR, CMD_ERR, JUSTIF_ABS, AUTRE…), écrit exactement, en majuscules, sans espace.",
    bt=("MDT-113",),
)


def _reason_rule(status: str, label_en: str, label_fr: str, codes: str, note: str = "") -> None:
    _cdv(
        f"BR-FR-CDV-CL-09_MDT-113_{status}",
        E,
        en=f"This reason code (MDT-113) is not allowed for status {status[:3]} {label_en}.",
        fr=f"Ce code motif (MDT-113) n'est pas autorisé pour le statut {status[:3]} {label_fr}.",
        fix_en=f"For a {status[:3]} {label_en}, use one of: {codes}.",
        fix_fr=f"Pour un {status[:3]} {label_fr}, utilisez l'un de : {codes}.",
        bt=("MDT-113", "MDT-105", "MDT-115"),
        notes="The list applies when the invoice's status (MDT-105) or the detail's own status "
        "(MDT-115) is this code; when the message has no MDT-105 at all, the official test "
        "applies every status's list to every reason (we reproduce it)." + note,
    )


_reason_rule("200", "Submitted", "Déposée", "NON_TRANSMISE")
_reason_rule(
    "213",
    "Rejected",
    "Rejetée",
    "MONTANTTOTAL_ERR, CALCUL_ERR, DOUBLON, DEST_INC, ADR_ERR, REJ_SEMAN, REJ_UNI, REJ_COH, "
    "REJ_ADR, REJ_CONT_B2G, REJ_REF_PJ, REJ_ASS_PJ",
)
_reason_rule(
    "210",
    "Refused",
    "Refusée",
    "TX_TVA_ERR, MONTANTTOTAL_ERR, CALCUL_ERR, NON_CONFORME, DOUBLON, DEST_ERR, TRANSAC_INC, "
    "EMMET_INC, CONTRAT_TERM, DOUBLE_FACT, CMD_ERR, ADR_ERR, REF_CT_ABSENT",
    " Not applied when the sender is the public-sector platform (GlobalID 9999, scheme 0238): "
    "BR-FR-CDV-CL-09_MDT-113_210B2G applies then.",
)
_reason_rule(
    "210B2G",
    "Refused (public sector)",
    "Refusée (sphère publique)",
    "RETRAIT_MAN_SERV, ST_CT_NON_DECLAR, SUPPR_COMP_AVOIR, TRANSF_PMNT_REGIE, AUTRE, "
    "COORD_BANC_ERR, TX_TVA_ERR, MONTANTTOTAL_ERR, CALCUL_ERR, NON_CONFORME, DOUBLON, DEST_ERR, "
    "TRANSAC_INC, EMMET_INC, CONTRAT_TERM, DOUBLE_FACT, CMD_ERR, ADR_ERR, REF_CT_ABSENT, "
    "LIVR_INCOMP",
    " Applies only when the sender is the public-sector platform (GlobalID 9999, scheme 0238).",
)
_reason_rule(
    "207",
    "Disputed",
    "En litige",
    "AUTRE, COORD_BANC_ERR, TX_TVA_ERR, MONTANTTOTAL_ERR, CALCUL_ERR, NON_CONFORME, DOUBLON, "
    "DEST_INC, DEST_ERR, TRANSAC_INC, EMMET_INC, CONTRAT_TERM, DOUBLE_FACT, CMD_ERR, ADR_ERR, "
    "SIRET_ERR, CODE_ROUTAGE_ERR, REF_CT_ABSENT, REF_ERR, PU_ERR, REM_ERR, QTE_ERR, ART_ERR, "
    "MODPAI_ERR, QUALITE_ERR, LIVR_INCOMP",
)
_reason_rule(
    "206",
    "Partially approved",
    "Approuvée partiellement",
    "AUTRE, CMD_ERR, SIRET_ERR, CODE_ROUTAGE_ERR, REF_CT_ABSENT, REF_ERR, PU_ERR, REM_ERR, "
    "QTE_ERR, ART_ERR, MODPAI_ERR, QUALITE_ERR, LIVR_INCOMP",
)
_reason_rule(
    "208",
    "Suspended",
    "Suspendue",
    "JUSTIF_ABS, COORD_BANC_ERR, CMD_ERR, SIRET_ERR, CODE_ROUTAGE_ERR, REF_CT_ABSENT, REF_ERR",
)
_reason_rule("221", "Routing error", "Erreur de routage", "ROUTAGE_ERR")
_reason_rule(
    "501",
    "Inadmissible",
    "Irrecevable",
    "IRR_VIDE_F, IRR_TYPE_F, IRR_SYNTAX, IRR_TAILLE_PJ, IRR_NOM_PJ, IRR_VID_PJ, IRR_EXT_DOC, "
    "IRR_TAILLE_F, IRR_ANTIVIRUS, IRR_NOM_F",
)
_cdv(
    "BR-FR-CDV-CL-10_MDT-121",
    E,
    en="The expected-action code (MDT-121) is not one of NOA, PIN, NIN, CNF, CNP, CNA, OTH.",
    fr="Le code de l'action attendue (MDT-121) n'est pas NOA, PIN, NIN, CNF, CNP, CNA ou OTH.",
    fix_en="Use one of NOA, PIN, NIN, CNF, CNP, CNA, OTH in RequestedActionCode (for example "
    "NIN when you expect a corrected invoice, CNF a full credit note) and say it in words in "
    "RequestedAction.",
    fix_fr="Utilisez NOA, PIN, NIN, CNF, CNP, CNA ou OTH dans RequestedActionCode (par exemple "
    "NIN si vous attendez une facture rectificative, CNF un avoir total) et dites-le en clair "
    "dans RequestedAction.",
    bt=("MDT-121",),
)
_cdv(
    "BR-FR-CDV-CL-11_MDT-207",
    E,
    en="The type of a status characteristic (MDT-207) is not one of MEN, MPA, RAP, ESC, RAB, "
    "REM, MAP, MAPTTC, MNA, MNATTC, CBB, DIV, DVA, MAJ.",
    fr="Le type d'une caractéristique de statut (MDT-207) n'est pas MEN, MPA, RAP, ESC, RAB, "
    "REM, MAP, MAPTTC, MNA, MNATTC, CBB, DIV, DVA ou MAJ.",
    fix_en="Use MEN for an amount received (212), DIV and DVA for a wrong value and the right "
    "one, or another code of the list.",
    fix_fr="Utilisez MEN pour un montant encaissé (212), DIV et DVA pour une valeur erronée et "
    "la valeur attendue, ou un autre code de la liste.",
    bt=("MDT-207", "MDG-43"),
)
