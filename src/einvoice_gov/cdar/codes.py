"""Code lists of the French lifecycle status messages (CDAR D22B, "cycle de vie").

Sources (see ``docs/cdar.md``): the DGFiP list of invoice statuses (Dossier général v3.2,
Tableau 8) for 200 to 213, and the code lists of the FNFE-MPE BR-FR-CDV rules V1.4.0 for the
codes beyond and for roles, phases, reasons, actions and characteristic types. The French
labels of 200 to 213 are the DGFiP ones; the English labels are ours. A code whose label no
source we could read gives stays without label (``None``) rather than with a guessed one.
"""

from __future__ import annotations

from typing import NamedTuple


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


class Label(NamedTuple):
    fr: str
    en: str


#: MDT-105 invoice status codes -> (French label, our English label).
STATUS_LABELS: dict[str, Label] = {
    "200": Label("Déposée", "Submitted"),
    "201": Label("Émise par la plateforme", "Issued by the platform"),
    "202": Label("Reçue par la plateforme", "Received by the platform"),
    "203": Label("Mise à disposition", "Made available to the buyer"),
    "204": Label("Prise en charge", "Taken in hand by the buyer"),
    "205": Label("Approuvée", "Approved"),
    "206": Label("Approuvée partiellement", "Partially approved"),
    "207": Label("En litige", "Disputed"),
    "208": Label("Suspendue", "Suspended"),
    "209": Label("Complétée", "Completed"),
    "210": Label("Refusée", "Refused"),
    "211": Label("Paiement transmis", "Payment sent"),
    "212": Label("Encaissée", "Payment received"),
    "213": Label("Rejetée", "Rejected"),
    "214": Label("Visée", "Endorsed"),
    "220": Label("Annulée", "Cancelled"),
    "221": Label("Erreur de routage", "Routing error"),
    "224": Label("Demande de paiement direct", "Direct payment requested"),
    "225": Label("Affacturée", "Factored"),
    "226": Label("Affacturée confidentiel", "Factored (confidential)"),
    "227": Label("Changement de compte à payer", "Change of the account to pay"),
    "228": Label("Non affacturée", "Not factored"),
    "250": Label("Données réglementaires déposées", "Regulatory data submitted"),
    "251": Label("Données réglementaires rejetées", "Regulatory data rejected"),
    "501": Label("Irrecevable", "Inadmissible"),
    "601": Label("Rejeté", "Rejected (mandatory-status flow)"),
}

#: Every MDT-105/MDT-115 code the BR-FR-CDV list accepts (BR-FR-CDV-CL-06). Some have no
#: label in any source we could read (300, 301, 400, 401, 500).
STATUS_CODES: frozenset[str] = frozenset(STATUS_LABELS) | {"300", "301", "400", "401", "500"}

#: The statuses a platform must send to the PPF (DGFiP rule G7.44).
MANDATORY_STATUSES: frozenset[str] = frozenset({"200", "210", "212", "213"})

#: MDT-77 acknowledgement type -> phase.
ACK_TYPES: dict[str, Label] = {
    "305": Label("Phase de transmission", "Transmission phase"),
    "23": Label("Phase de traitement", "Processing phase"),
}

#: MDT-88 phase status codes per acknowledgement type (BR-FR-CDV-CL-05).
PHASE_CODES: dict[str, frozenset[str]] = {
    "305": frozenset({"10", "51", "43", "8", "48"}),
    "23": frozenset({"45", "39", "37", "50", "49", "47", "46", "1", "5"}),
}

#: MDT-88 labels (implementers' mapping, see docs/cdar.md; not an official table).
PHASE_LABELS: dict[str, Label] = {
    "10": Label("Déposée", "Submitted"),
    "51": Label("Émise", "Issued"),
    "43": Label("Reçue", "Received"),
    "8": Label("Rejetée", "Rejected"),
    "48": Label("Mise à disposition", "Made available"),
    "45": Label("Prise en charge", "Taken in hand"),
    "39": Label("Suspendue", "Suspended"),
    "37": Label("Complétée", "Completed"),
    "50": Label("Refusée", "Refused"),
    "49": Label("Approuvée partiellement", "Partially approved"),
    "47": Label("Paiement transmis / encaissée", "Payment sent / received"),
    "46": Label("En litige", "Disputed"),
    "1": Label("Approuvée", "Approved"),
    "5": Label("Autre statut", "Other status"),
}

#: Party role codes (MDT-21, MDT-40, MDT-59, MDT-132, MDT-158).
ROLE_LABELS: dict[str, Label] = {
    "BY": Label("Acheteur", "Buyer"),
    "AB": Label("Mandataire de l'acheteur", "Buyer's agent"),
    "DL": Label("Affactureur", "Factor"),
    "SE": Label("Vendeur", "Seller"),
    "SR": Label("Mandataire du vendeur", "Seller's agent"),
    "WK": Label("Plateforme agréée", "Accredited platform"),
    "DFH": Label("Portail public de facturation (PPF)", "Public invoicing portal (PPF)"),
    "PE": Label("Bénéficiaire du paiement", "Payee"),
    "PR": Label("Payeur", "Payer"),
    "II": Label("Émetteur de la facture", "Invoicer"),
    "IV": Label("Destinataire de la facture", "Invoicee"),
}

#: MDT-2 business process values (BR-FR-CDV-CL-01).
PROCESS_TYPES: frozenset[str] = frozenset(
    {"REGULATED", "NON_REGULATED", "B2C", "B2CINT", "B2BINT", "OUTOFSCOPE"}
)

#: MDT-3 guideline values (BR-FR-CDV-02).
GUIDELINE_INVOICE = "urn.cpro.gouv.fr:1p0:CDV:invoice"
GUIDELINE_PPF = "urn.cpro.gouv.fr:1p0:CDV:einvoicingF2"

#: MDT-91 document type codes accepted for the referenced invoice (BR-FR-04).
DOCUMENT_TYPES: frozenset[str] = _words(
    "380 389 393 501 386 500 384 471 472 473 261 262 381 396 502 503"
)

#: MDT-113 reason codes (BR-FR-CDV-CL-09), each with a short label: our reading of the code
#: (the official wording is in XP Z12-012, which we could not read; see docs/cdar.md).
REASON_LABELS: dict[str, Label] = {
    "RETRAIT_MAN_SERV": Label("Retrait manuel par le service", "Withdrawn by the service"),
    "ST_CT_NON_DECLAR": Label("Sous-traitant non déclaré", "Undeclared subcontractor"),
    "SUPPR_COMP_AVOIR": Label("Suppression compensée par avoir", "Cancelled by a credit note"),
    "TRANSF_PMNT_REGIE": Label("Transfert au paiement en régie", "Moved to direct payment"),
    "CONTACT_ACHTR": Label("Contacter l'acheteur", "Contact the buyer"),
    "NON_TRANSMISE": Label("Non transmise", "Not transmitted"),
    "JUSTIF_ABS": Label("Justificatif absent", "Supporting document missing"),
    "ROUTAGE_ERR": Label("Erreur de routage", "Routing error"),
    "AUTRE": Label("Autre motif", "Other reason"),
    "COORD_BANC_ERR": Label("Coordonnées bancaires erronées", "Wrong bank details"),
    "TX_TVA_ERR": Label("Taux de TVA erroné", "Wrong VAT rate"),
    "MONTANTTOTAL_ERR": Label("Montant total erroné", "Wrong total amount"),
    "CALCUL_ERR": Label("Erreur de calcul", "Calculation error"),
    "NON_CONFORME": Label("Mentions non conformes", "Non-compliant mentions"),
    "DOUBLON": Label("Facture en double", "Duplicate invoice"),
    "DEST_INC": Label("Destinataire inconnu", "Unknown recipient"),
    "DEST_ERR": Label("Destinataire erroné", "Wrong recipient"),
    "TRANSAC_INC": Label("Transaction inconnue", "Unknown transaction"),
    "EMMET_INC": Label("Émetteur inconnu", "Unknown issuer"),
    "CONTRAT_TERM": Label("Contrat terminé", "Contract ended"),
    "DOUBLE_FACT": Label("Données réglementaires en double", "Duplicate regulatory data"),
    "CMD_ERR": Label("Référence de commande erronée", "Wrong order reference"),
    "ADR_ERR": Label("Adresse erronée", "Wrong address"),
    "SIRET_ERR": Label("SIRET erroné", "Wrong SIRET"),
    "CODE_ROUTAGE_ERR": Label("Code de routage erroné", "Wrong routing code"),
    "REF_CT_ABSENT": Label("Référence de contrat absente", "Contract reference missing"),
    "REF_ERR": Label("Référence erronée", "Wrong reference"),
    "PU_ERR": Label("Prix unitaire erroné", "Wrong unit price"),
    "REM_ERR": Label("Remise erronée", "Wrong discount"),
    "QTE_ERR": Label("Quantité erronée", "Wrong quantity"),
    "ART_ERR": Label("Article erroné", "Wrong item"),
    "MODPAI_ERR": Label("Modalités de paiement erronées", "Wrong payment terms"),
    "QUALITE_ERR": Label("Qualité non conforme", "Quality not as ordered"),
    "LIVR_INCOMP": Label("Livraison incomplète", "Incomplete delivery"),
    "REJ_SEMAN": Label("Rejet sémantique", "Semantic rejection"),
    "REJ_UNI": Label("Rejet d'unicité", "Uniqueness rejection"),
    "REJ_COH": Label("Rejet de cohérence", "Consistency rejection"),
    "REJ_ADR": Label("Rejet d'adressage", "Addressing rejection"),
    "REJ_CONT_B2G": Label("Rejet des contrôles B2G", "Public-sector checks rejection"),
    "REJ_REF_PJ": Label("Rejet : pièce jointe référencée", "Rejection: referenced attachment"),
    "REJ_ASS_PJ": Label("Rejet : association de pièce jointe", "Rejection: attachment link"),
    "IRR_VIDE_F": Label("Fichier vide", "Empty file"),
    "IRR_TYPE_F": Label("Type de fichier non accepté", "File type not accepted"),
    "IRR_SYNTAX": Label("Syntaxe non reconnue", "Syntax not recognised"),
    "IRR_TAILLE_PJ": Label("Pièce jointe trop volumineuse", "Attachment too large"),
    "IRR_NOM_PJ": Label("Nom de pièce jointe invalide", "Invalid attachment name"),
    "IRR_VID_PJ": Label("Pièce jointe vide", "Empty attachment"),
    "IRR_EXT_DOC": Label("Extension de document refusée", "Document extension refused"),
    "IRR_TAILLE_F": Label("Fichier trop volumineux", "File too large"),
    "IRR_ANTIVIRUS": Label("Refusé par l'antivirus", "Refused by the antivirus"),
    "IRR_NOM_F": Label("Nom de fichier invalide", "Invalid file name"),
}
REASON_CODES: frozenset[str] = frozenset(REASON_LABELS)

#: Which reason codes each status allows (BR-FR-CDV-CL-09). 210 has two lists: the general
#: one, and the one that applies when the sender is the public-sector platform (Chorus Pro,
#: identifier 9999 in scheme 0238).
REASONS_FOR_STATUS: dict[str, frozenset[str]] = {
    "200": frozenset({"NON_TRANSMISE"}),
    "213": _words(
        "MONTANTTOTAL_ERR CALCUL_ERR DOUBLON DEST_INC ADR_ERR REJ_SEMAN REJ_UNI REJ_COH "
        "REJ_ADR REJ_CONT_B2G REJ_REF_PJ REJ_ASS_PJ"
    ),
    "210": _words(
        "TX_TVA_ERR MONTANTTOTAL_ERR CALCUL_ERR NON_CONFORME DOUBLON DEST_ERR TRANSAC_INC "
        "EMMET_INC CONTRAT_TERM DOUBLE_FACT CMD_ERR ADR_ERR REF_CT_ABSENT"
    ),
    "210B2G": _words(
        "RETRAIT_MAN_SERV ST_CT_NON_DECLAR SUPPR_COMP_AVOIR TRANSF_PMNT_REGIE AUTRE "
        "COORD_BANC_ERR TX_TVA_ERR MONTANTTOTAL_ERR CALCUL_ERR NON_CONFORME DOUBLON DEST_ERR "
        "TRANSAC_INC EMMET_INC CONTRAT_TERM DOUBLE_FACT CMD_ERR ADR_ERR REF_CT_ABSENT "
        "LIVR_INCOMP"
    ),
    "207": _words(
        "AUTRE COORD_BANC_ERR TX_TVA_ERR MONTANTTOTAL_ERR CALCUL_ERR NON_CONFORME DOUBLON "
        "DEST_INC DEST_ERR TRANSAC_INC EMMET_INC CONTRAT_TERM DOUBLE_FACT CMD_ERR ADR_ERR "
        "SIRET_ERR CODE_ROUTAGE_ERR REF_CT_ABSENT REF_ERR PU_ERR REM_ERR QTE_ERR ART_ERR "
        "MODPAI_ERR QUALITE_ERR LIVR_INCOMP"
    ),
    "206": _words(
        "AUTRE CMD_ERR SIRET_ERR CODE_ROUTAGE_ERR REF_CT_ABSENT REF_ERR PU_ERR REM_ERR QTE_ERR "
        "ART_ERR MODPAI_ERR QUALITE_ERR LIVR_INCOMP"
    ),
    "208": _words(
        "JUSTIF_ABS COORD_BANC_ERR CMD_ERR SIRET_ERR CODE_ROUTAGE_ERR REF_CT_ABSENT REF_ERR"
    ),
    "221": frozenset({"ROUTAGE_ERR"}),
    "501": _words(
        "IRR_VIDE_F IRR_TYPE_F IRR_SYNTAX IRR_TAILLE_PJ IRR_NOM_PJ IRR_VID_PJ IRR_EXT_DOC "
        "IRR_TAILLE_F IRR_ANTIVIRUS IRR_NOM_F"
    ),
}

#: Statuses that need a reason (MDT-113) (BR-FR-CDV-15).
STATUSES_NEEDING_REASON: frozenset[str] = frozenset({"210", "213", "501", "207", "206", "208"})

#: MDT-121 expected-action codes (BR-FR-CDV-CL-10). No source we could read spells out their
#: meaning, so we give none: the message carries its own text in MDT-122.
ACTION_CODES: frozenset[str] = frozenset({"NOA", "PIN", "NIN", "CNF", "CNP", "CNA", "OTH"})

#: MDT-207 characteristic type codes (BR-FR-CDV-CL-11). ``MEN`` is the cashed amount of a 212.
CHARACTERISTIC_TYPES: frozenset[str] = _words(
    "MEN MPA RAP ESC RAB REM MAP MAPTTC MNA MNATTC CBB DIV DVA MAJ"
)
