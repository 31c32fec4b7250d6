"""Rules about reading the input at all (stage ``input``) and engine-level outcomes.

The PDF container's rules live in ``rules/pdf.py``, the reform's in ``rules/readiness.py``.
"""

from __future__ import annotations

from einvoice_gov.validation.findings import Severity, Stage
from einvoice_gov.validation.registry import rule

E, W = Severity.ERROR, Severity.WARNING
IN = Stage.INPUT

rule(
    "INPUT-UNREADABLE",
    IN,
    E,
    en="The file cannot be read: {detail}",
    fr="Le fichier ne peut pas être lu : {detail}",
    fix_en="Check that the file exists and that you may read it.",
    fix_fr="Vérifiez que le fichier existe et que vous avez le droit de le lire.",
)
rule(
    "INPUT-TOO-LARGE",
    IN,
    E,
    en="The file is too large to be an invoice: {detail}",
    fr="Le fichier est trop volumineux pour être une facture : {detail}",
    fix_en="Export the invoice alone; send large attachments separately.",
    fix_fr="Exportez la facture seule ; transmettez les pièces jointes volumineuses à part.",
)
rule(
    "INPUT-UNKNOWN-FORMAT",
    IN,
    E,
    en="This is not an electronic invoice (neither XML nor PDF): {detail}",
    fr="Ce fichier n'est pas une facture électronique (ni XML ni PDF) : {detail}",
    fix_en="Export the invoice from your billing software as Factur-X, UBL or CII.",
    fix_fr="Exportez la facture depuis votre logiciel au format Factur-X, UBL ou CII.",
)
rule(
    "INPUT-UNSUPPORTED-FORMAT",
    IN,
    E,
    en="This XML is not an invoice format accepted in France: {detail}",
    fr="Ce XML n'est pas un format de facture accepté en France : {detail}",
    fix_en="The French platforms accept UBL 2.1, UN/CEFACT CII and Factur-X only.",
    fix_fr="Les plateformes agréées n'acceptent que UBL 2.1, UN/CEFACT CII et Factur-X.",
)
rule(
    "INPUT-NOT-INVOICE",
    IN,
    E,
    en="This document is not an invoice: {detail}",
    fr="Ce document n'est pas une facture : {detail}",
    fix_en="Only invoices, credit notes and status messages can be checked.",
    fix_fr="Seuls les factures, avoirs et messages de statut peuvent être contrôlés.",
)
rule(
    "INPUT-TIMEOUT",
    IN,
    E,
    en="Checking this file took too long and was stopped: {detail}",
    fr="Le contrôle de ce fichier a pris trop de temps et a été interrompu : {detail}",
    fix_en="The file is probably damaged or built to overload checkers; ask for a new export.",
    fix_fr="Le fichier est probablement abîmé ou piégé ; demandez un nouvel export.",
)
rule(
    "INPUT-INTERNAL-ERROR",
    IN,
    E,
    en="einvoice-gov failed on this file (please report it): {detail}",
    fr="einvoice-gov a échoué sur ce fichier (merci de le signaler) : {detail}",
    fix_en="Report the file and this message to the einvoice-gov developers.",
    fix_fr="Signalez le fichier et ce message aux développeurs d'einvoice-gov.",
)
rule(
    "XML-EMPTY",
    IN,
    E,
    en="The file is empty.",
    fr="Le fichier est vide.",
    fix_en="Export the invoice again.",
    fix_fr="Exportez à nouveau la facture.",
)
rule(
    "XML-MALFORMED",
    IN,
    E,
    en="The XML is damaged or truncated: {detail}",
    fr="Le XML est abîmé ou tronqué : {detail}",
    fix_en="Export the invoice again; if it persists, your software writes invalid XML.",
    fix_fr="Exportez à nouveau la facture ; si cela persiste, votre logiciel produit un XML "
    "invalide.",
)
rule(
    "XML-DTD",
    IN,
    E,
    en="The XML declares a DTD or entities, which invoices never use; it was refused unread "
    "for safety: {detail}",
    fr="Le XML déclare une DTD ou des entités, ce qu'aucune facture n'utilise ; il a été "
    "refusé sans être lu, par sécurité : {detail}",
    fix_en="Do not accept this file: ask the sender for a normal export.",
    fix_fr="N'acceptez pas ce fichier : demandez à l'émetteur un export normal.",
)
rule(
    "STAGE-ERROR",
    Stage.EN16931,
    E,
    en="The official validation artefact itself failed on this document: {detail}",
    fr="L'outil de validation officiel a lui-même échoué sur ce document : {detail}",
    fix_en="The platform will most likely reject the invoice: look for duplicated elements, "
    "empty amounts or impossible dates.",
    fix_fr="La plateforme rejettera très probablement la facture : cherchez des éléments en "
    "double, des montants vides ou des dates impossibles.",
    notes="Stage varies: the finding takes the stage of the artefact that failed.",
)
