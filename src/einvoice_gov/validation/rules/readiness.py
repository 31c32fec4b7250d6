"""Rules of the ``readiness`` stage: what the French reform requires beyond the schematrons.

Profiles and formats the reform accepts, identifiers that will fail the directory lookup, the
VAT total in euros. Dates come from :mod:`einvoice_gov.reform.facts`; the messages get them
through ``{detail}``.
"""

from __future__ import annotations

from einvoice_gov.validation.findings import Severity, Stage
from einvoice_gov.validation.registry import rule

E, W = Severity.ERROR, Severity.WARNING
R = Stage.READINESS

# -- formats and profiles ----------------------------------------------------------------------

rule(
    "FMT-ZUGFERD1",
    R,
    E,
    en="ZUGFeRD 1.0 is an outdated format that French platforms do not accept. {detail}",
    fr="ZUGFeRD 1.0 est un format obsolète que les plateformes françaises n'acceptent pas. "
    "{detail}",
    fix_en="Update your billing software to Factur-X 1.0x (ZUGFeRD 2.x), profile EN 16931 or "
    "EXTENDED.",
    fix_fr="Mettez à jour votre logiciel vers Factur-X 1.0x (ZUGFeRD 2.x), profil EN 16931 ou "
    "EXTENDED.",
)
rule(
    "FMT-FACTURX-DRAFT",
    R,
    E,
    en="The invoice uses a pre-release Factur-X identifier ({detail}), from before Factur-X "
    "1.0 (2017): platforms do not recognise it.",
    fr="La facture utilise un identifiant Factur-X antérieur à la version 1.0 de 2017 "
    "({detail}) : les plateformes ne le reconnaissent pas.",
    fix_en="Update your billing software; BT-24 must read e.g. urn:cen.eu:en16931:2017 for "
    "the EN 16931 profile.",
    fix_fr="Mettez à jour votre logiciel ; le BT-24 doit valoir par exemple "
    "urn:cen.eu:en16931:2017 pour le profil EN 16931.",
    bt=("BT-24",),
)
rule(
    "READY-PROFILE-MINIMUM",
    R,
    E,
    en="The MINIMUM profile is not an invoice for the reform: it has no invoice lines and no "
    "VAT breakdown, so it cannot carry the mandatory mentions.",
    fr="Le profil MINIMUM n'est pas une facture au sens de la réforme : il n'a ni lignes ni "
    "ventilation de TVA, il ne peut donc pas porter les mentions obligatoires.",
    fix_en="Set your billing software to the EN 16931 profile (or EXTENDED).",
    fix_fr="Réglez votre logiciel de facturation sur le profil EN 16931 (ou EXTENDED).",
    bt=("BT-24",),
)
rule(
    "READY-PROFILE-BASIC",
    R,
    E,
    en="The BASIC profile is not among the profiles of the French reform (BASIC WL for the "
    "first year, EN 16931, EXTENDED): platforms will refuse it.",
    fr="Le profil BASIC ne fait pas partie des profils de la réforme française (BASIC WL la "
    "première année, EN 16931, EXTENDED) : les plateformes le refuseront.",
    fix_en="Set your billing software to the EN 16931 profile; it holds everything BASIC does.",
    fix_fr="Réglez votre logiciel sur le profil EN 16931 ; il contient tout ce que contient BASIC.",
    bt=("BT-24",),
)
rule(
    "READY-PROFILE-BASIC-WL",
    R,
    W,
    en="The BASIC WL profile is accepted for the first year of the reform only, until "
    "{detail}: after that date, platforms will refuse it.",
    fr="Le profil BASIC WL n'est accepté que la première année de la réforme, jusqu'au "
    "{detail} : après cette date, les plateformes le refuseront.",
    fix_en="Plan the move to the EN 16931 profile with your software provider now.",
    fix_fr="Prévoyez dès maintenant avec votre éditeur le passage au profil EN 16931.",
    bt=("BT-24",),
    notes="The end date is the project's interpretation of 'first year only' "
    "(reform.facts.BASIC_WL_ACCEPTED_UNTIL).",
)
rule(
    "READY-PROFILE-BASIC-WL-EXPIRED",
    R,
    E,
    en="The BASIC WL profile was accepted only until {detail}: platforms now refuse it.",
    fr="Le profil BASIC WL n'était accepté que jusqu'au {detail} : les plateformes le "
    "refusent désormais.",
    fix_en="Set your billing software to the EN 16931 profile.",
    fix_fr="Réglez votre logiciel de facturation sur le profil EN 16931.",
    bt=("BT-24",),
)
rule(
    "READY-PROFILE-OTHER",
    R,
    W,
    en="The invoice follows {detail}, not one of the French reform's profiles (EN 16931, "
    "EXTENDED-CTC-FR; Factur-X BASIC WL, EN 16931, EXTENDED). French platforms will apply "
    "the plain EN 16931 rules and the French rules, which such invoices often miss.",
    fr="La facture suit {detail}, qui n'est pas un profil de la réforme française (EN 16931, "
    "EXTENDED-CTC-FR ; Factur-X BASIC WL, EN 16931, EXTENDED). Les plateformes françaises "
    "appliqueront les règles EN 16931 et les règles françaises, que ces factures respectent "
    "rarement.",
    fix_en="For invoices to French customers, use the EN 16931 profile (BT-24 = "
    "urn:cen.eu:en16931:2017).",
    fix_fr="Pour les factures à des clients français, utilisez le profil EN 16931 (BT-24 = "
    "urn:cen.eu:en16931:2017).",
    bt=("BT-24",),
)

# -- identifiers -------------------------------------------------------------------------------

_FIX_ID_EN = (
    "Copy the number from the company's Kbis or from annuaire-entreprises.data.gouv.fr; a "
    "wrong number makes the platform's directory lookup fail."
)
_FIX_ID_FR = (
    "Recopiez le numéro depuis le Kbis ou annuaire-entreprises.data.gouv.fr ; un numéro faux "
    "fait échouer la recherche dans l'annuaire des plateformes."
)

rule(
    "READY-SIREN-FORMAT",
    R,
    W,
    en="The SIREN {detail}.",
    fr="Le SIREN {detail}.",
    fix_en=_FIX_ID_EN,
    fix_fr=_FIX_ID_FR,
    bt=("BT-30", "BT-47"),
)
rule(
    "READY-SIREN-KEY",
    R,
    W,
    en="The SIREN {detail} has a wrong check digit (Luhn key): it is probably mistyped.",
    fr="Le SIREN {detail} a une clé de contrôle fausse (clé de Luhn) : il est probablement mal "
    "saisi.",
    fix_en=_FIX_ID_EN,
    fix_fr=_FIX_ID_FR,
    bt=("BT-30", "BT-47"),
    notes="Library-side quality check: no BR-FR rule checks the key (FACTS.md §3.4).",
)
rule(
    "READY-SIRET-FORMAT",
    R,
    W,
    en="The SIRET {detail} is not made of exactly 14 digits.",
    fr="Le SIRET {detail} n'est pas composé d'exactement 14 chiffres.",
    fix_en=_FIX_ID_EN,
    fix_fr=_FIX_ID_FR,
    bt=("BT-29", "BT-46", "BT-60", "BT-71"),
)
rule(
    "READY-SIRET-KEY",
    R,
    W,
    en="The SIRET {detail} has a wrong check digit (Luhn key): it is probably mistyped.",
    fr="Le SIRET {detail} a une clé de contrôle fausse (clé de Luhn) : il est probablement mal "
    "saisi.",
    fix_en=_FIX_ID_EN,
    fix_fr=_FIX_ID_FR,
    bt=("BT-29", "BT-46", "BT-60", "BT-71"),
    notes="La Poste's SIRETs (SIREN 356000000) follow their own key (sum of digits multiple of 5).",
)
rule(
    "READY-SIRET-SIREN",
    R,
    W,
    en="The SIRET {detail}: a SIRET is the SIREN followed by 5 digits.",
    fr="Le SIRET {detail} : un SIRET est le SIREN suivi de 5 chiffres.",
    fix_en=_FIX_ID_EN,
    fix_fr=_FIX_ID_FR,
    bt=("BT-29", "BT-30", "BT-46", "BT-47"),
)
rule(
    "READY-VAT-FR-KEY",
    R,
    W,
    en="The French VAT number {detail}.",
    fr="Le numéro de TVA français {detail}.",
    fix_en="A French VAT number is FR + a 2-digit key + the SIREN; copy it from the company's "
    "documents or check it on the European VIES service.",
    fix_fr="Un numéro de TVA français est FR + une clé de 2 chiffres + le SIREN ; recopiez-le "
    "depuis les documents de l'entreprise ou vérifiez-le sur le service européen VIES.",
    bt=("BT-31", "BT-48", "BT-63"),
)

# -- currency ----------------------------------------------------------------------------------

rule(
    "READY-VAT-TOTAL-EUR",
    R,
    E,
    en="The invoice is in {detail} but does not give the VAT total in euros (BT-111): French "
    "VAT is declared in euros.",
    fr="La facture est en {detail} mais ne donne pas le total de TVA en euros (BT-111) : la TVA "
    "française se déclare en euros.",
    fix_en="Add the VAT total in EUR (BT-111) and set the VAT accounting currency (BT-6) to "
    "EUR; your billing software has a field for the exchange rate.",
    fix_fr="Ajoutez le total de TVA en EUR (BT-111) et indiquez EUR comme devise de "
    "comptabilisation de la TVA (BT-6) ; votre logiciel a un champ pour le taux de change.",
    bt=("BT-5", "BT-6", "BT-111"),
    notes="Same requirement as BR-FR-CO-12, which only runs in the French chain.",
)
