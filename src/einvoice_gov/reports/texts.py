"""Words of the readiness report, in French and English (our own wording).

Gap texts are ``(title, why, fix)`` templates filled with :meth:`str.format`; the checklist
items' texts live with the profile (:mod:`einvoice_gov.profile.checklist`).
"""

from __future__ import annotations

import os

from einvoice_gov.reform import facts

GapText = tuple[str, str, str]


def fact_words(lang: str) -> dict[str, str]:
    """Reform figures quoted in the texts, from :mod:`einvoice_gov.reform.facts`."""
    fine_invoice = int(facts.PENALTIES["invoice-not-electronic"].amount_eur)
    fine_ereporting = int(facts.PENALTIES["e-reporting-missing"].amount_eur)
    return {
        "tax_years": str(facts.TAX_RETENTION_YEARS.value),
        "commercial_years": str(facts.COMMERCIAL_RETENTION_YEARS.value),
        "fine_invoice": f"{fine_invoice} €" if lang == "fr" else f"€{fine_invoice}",
        "fine_ereporting": f"{fine_ereporting} €" if lang == "fr" else f"€{fine_ereporting}",
    }


def report_lang(lang: str | None) -> str:
    """French by default (issue 7); ``--lang en`` or ``EINVOICE_LANG=en`` for English."""
    if lang in ("fr", "en"):
        return lang
    env = os.environ.get("EINVOICE_LANG", "").lower()
    return "en" if env.startswith("en") else "fr"


GAPS: dict[str, dict[str, GapText]] = {
    "fr": {
        "platform.none": (
            "Choisir la plateforme agréée de réception",
            "Depuis le {reception}, toute entreprise assujettie doit pouvoir recevoir ses "
            "factures par une plateforme agréée. Sans elle : mise en demeure, puis {first} €, "
            "puis {next} € tous les 3 mois ({year} € sur un an).",
            "Comparer deux ou trois plateformes agréées (prix, réversibilité, lieu des "
            "données), signer, puis noter le nom et la date dans company.toml.",
        ),
        "platform.directory-line": (
            "Faire publier la ligne d'annuaire de l'entreprise",
            "Sans ligne dans l'annuaire (au minimum au niveau du SIREN), les fournisseurs ne "
            "savent pas à quelle plateforme adresser leurs factures : elles sont rejetées.",
            "Demander à {platform} de publier la ligne d'annuaire au niveau du SIREN et en "
            "garder la preuve ; vérifier sur l'annuaire public.",
        ),
        "pilot.none": (
            "Nommer un pilote de la facturation électronique",
            "Sans personne chargée du projet, les échéances, les rejets de factures et les "
            "sauvegardes ne sont suivis par personne.",
            "Désigner une personne, lui donner un mandat écrit et un temps par mois, et "
            "l'inscrire dans company.toml.",
        ),
        "pilot.mandate": (
            "Donner au pilote un mandat écrit et du temps",
            "Un pilote sans mandat ni temps accordé ne peut pas arbitrer avec les prestataires.",
            "Écrire une note de la direction (missions, heures par mois, budget) et la revoir "
            "chaque année.",
        ),
        "company.vat-regime": (
            "Préciser le régime de TVA",
            "Il fixe la fréquence de l'e-reporting (jusqu'à 3 transmissions par mois en réel "
            "normal mensuel).",
            "Demander le régime à l'expert-comptable et le noter dans company.toml.",
        ),
        "company.e-reporting": (
            "Mettre en place l'e-reporting",
            "Les ventes aux particuliers et les opérations avec l'étranger doivent être "
            "déclarées à partir du {date} : {n} transmissions par an, {fine} € chacune en cas "
            "d'oubli (plafond {cap} € par an).",
            "Avec l'expert-comptable et la plateforme : lister ces opérations, choisir qui "
            "transmet et tester une première transmission.",
        ),
        "company.e-reporting-unknown": (
            "Savoir si l'entreprise est concernée par l'e-reporting",
            "Ventes aux particuliers ou avec l'étranger : elles doivent être déclarées à "
            "partir du {date}.",
            "Vérifier avec l'expert-comptable s'il y a des ventes aux particuliers ou avec "
            "l'étranger, et noter la réponse dans company.toml.",
        ),
        "company.category": (
            "Vérifier la catégorie de taille déclarée",
            "Le profil dit « {declared} » mais l'effectif et les montants donnent « {computed} » "
            "; la catégorie fixe la date d'émission obligatoire.",
            "Faire confirmer la catégorie par l'expert-comptable (dernier exercice clos avant "
            "le 1er janvier 2025) et corriger company.toml.",
        ),
        "company.siren-key": (
            "Vérifier le SIREN du profil",
            "Le SIREN {siren} ne passe pas le contrôle de clé : les factures reçues ne "
            "seraient pas rapprochées de l'entreprise.",
            "Recopier le SIREN depuis l'extrait Kbis ou l'avis de situation INSEE.",
        ),
        "company.assujetti-unique": (
            "Savoir si l'entreprise est membre d'un groupe TVA",
            "Un membre d'un assujetti unique émet dès le {large}, un an plus tôt que les PME.",
            "Poser la question à l'expert-comptable et noter la réponse dans company.toml.",
        ),
        "providers.none": (
            "Lister les prestataires et leurs contacts",
            "En cas de panne ou d'incident, il faut savoir qui appeler pour la plateforme, "
            "le logiciel de facturation et l'informatique.",
            "Ajouter chaque prestataire dans company.toml (nom, rôle, contact).",
        ),
        "invoices.none": (
            "Exporter les factures pour les contrôler",
            "Aucune facture dans le dossier analysé : impossible de mesurer si elles seront "
            "acceptées par la plateforme.",
            "Exporter un mois de factures depuis le logiciel de facturation et relancer le "
            "rapport sur ce dossier.",
        ),
        "invoices.rule": (
            "Corriger la règle {rule} ({files} fichier(s))",
            "{message}",
            "{fix}",
        ),
        "invoices.rule.fix": (
            "",
            "",
            "Corriger la donnée signalée dans le logiciel de facturation (voir « einvoice-gov "
            "check » pour chaque fichier), puis réexporter.",
        ),
        "trace.no-ledger": (
            "Tenir la piste d'audit des factures",
            "Sans journal, rien ne prouve qu'une facture a été déposée, acceptée et archivée "
            "intacte pendant {tax_years} ans.",
            "Enregistrer chaque émission, dépôt et statut avec « einvoice-gov trace » et "
            "relancer le rapport avec --store.",
        ),
        "trace.unavailable": (
            "Installer le module de traçabilité",
            "Le journal {store} n'a pas pu être lu : {reason}.",
            "Mettre à jour einvoice-gov puis relancer le rapport avec --store.",
        ),
        "trace.error": (
            "Le journal d'audit n'a pas pu être lu",
            "Le journal {store} est illisible ou absent ({reason}) : la piste d'audit des "
            "factures ne peut pas être vérifiée.",
            "Vérifier l'adresse donnée à --store (et que le fichier ou la base existe), puis "
            "relancer le rapport ; sinon faire examiner le journal par le prestataire.",
        ),
        "trace.chain": (
            "Le journal d'audit a été modifié",
            "La vérification de la chaîne échoue à l'entrée {first_bad} : {reason}. La piste "
            "d'audit ne prouve plus l'intégrité des factures.",
            "Ne rien effacer ; faire analyser le journal par le prestataire et restaurer la "
            "dernière sauvegarde vérifiée.",
        ),
        "trace.archive": (
            "Archive altérée ou incomplète",
            "{damaged} objet(s) archivé(s) ne correspondent plus à leur empreinte et {missing} "
            "manquent dans {directory} : l'intégrité exigée pendant {tax_years} ans n'est plus "
            "prouvée.",
            "Ne rien effacer ; restaurer ces objets depuis la sauvegarde hors ligne et "
            "relancer « einvoice-gov archive verify ».",
        ),
        "trace.anomaly": (
            "{label} ({n} facture(s))",
            "{message}",
            "{fix}",
        ),
    },
    "en": {
        "platform.none": (
            "Choose the approved receiving platform",
            "Since {reception}, every VAT-liable business must be able to receive its "
            "invoices through an approved platform. Without one: formal notice, then €{first}, "
            "then €{next} every 3 months (€{year} over a year).",
            "Compare two or three approved platforms (price, reversibility, data location), "
            "sign, then record the name and date in company.toml.",
        ),
        "platform.directory-line": (
            "Have the company's directory line published",
            "Without a line in the directory (at least at SIREN level), suppliers do not know "
            "which platform to send their invoices to: they are rejected.",
            "Ask {platform} to publish the directory line at SIREN level and keep the proof; "
            "check it in the public directory.",
        ),
        "pilot.none": (
            "Name an e-invoicing pilot",
            "With nobody in charge, deadlines, rejected invoices and backups are followed by "
            "nobody.",
            "Appoint someone, give them a written mandate and time each month, and record "
            "them in company.toml.",
        ),
        "pilot.mandate": (
            "Give the pilot a written mandate and time",
            "A pilot without a mandate or time cannot arbitrate with the providers.",
            "Write a note from the management (tasks, hours per month, budget) and review it "
            "every year.",
        ),
        "company.vat-regime": (
            "State the VAT regime",
            "It sets how often e-reporting data are sent (up to 3 transmissions a month under "
            "the monthly normal regime).",
            "Ask the accountant for the regime and record it in company.toml.",
        ),
        "company.e-reporting": (
            "Set up e-reporting",
            "Sales to consumers and operations with businesses abroad must be reported from "
            "{date}: {n} transmissions a year, €{fine} each when missed (capped at €{cap} a "
            "year).",
            "With the accountant and the platform: list these operations, decide who "
            "transmits and test a first transmission.",
        ),
        "company.e-reporting-unknown": (
            "Find out whether e-reporting applies",
            "Sales to consumers or with businesses abroad must be reported from {date}.",
            "Check with the accountant whether there are sales to consumers or abroad, and "
            "record the answer in company.toml.",
        ),
        "company.category": (
            "Check the declared size category",
            'The profile says "{declared}" but the headcount and amounts give "{computed}"; '
            "the category sets the date from which e-invoices must be issued.",
            "Have the accountant confirm the category (last financial year closed before "
            "1 January 2025) and correct company.toml.",
        ),
        "company.siren-key": (
            "Check the profile's SIREN",
            "SIREN {siren} fails the check-digit test: received invoices would not be matched "
            "to the company.",
            "Copy the SIREN from the Kbis extract or the INSEE registration notice.",
        ),
        "company.assujetti-unique": (
            "Find out whether the company belongs to a VAT group",
            "A member of an assujetti unique issues from {large}, a year earlier than PME.",
            "Ask the accountant and record the answer in company.toml.",
        ),
        "providers.none": (
            "List the providers and their contacts",
            "In an outage or incident you must know whom to call for the platform, the "
            "invoicing software and IT.",
            "Add each provider to company.toml (name, role, contact).",
        ),
        "invoices.none": (
            "Export the invoices to check them",
            "No invoice in the folder analysed: there is no way to tell whether the platform "
            "will accept them.",
            "Export one month of invoices from the invoicing software and run the report on "
            "that folder.",
        ),
        "invoices.rule": (
            "Fix rule {rule} ({files} file(s))",
            "{message}",
            "{fix}",
        ),
        "invoices.rule.fix": (
            "",
            "",
            'Correct the reported data in the invoicing software (see "einvoice-gov check" '
            "for each file), then export again.",
        ),
        "trace.no-ledger": (
            "Keep the invoices' audit trail",
            "Without a log, nothing proves that an invoice was deposited, accepted and kept "
            "intact for {tax_years} years.",
            'Record every issue, deposit and status with "einvoice-gov trace" and run the '
            "report again with --store.",
        ),
        "trace.unavailable": (
            "Install the tracing module",
            "The log {store} could not be read: {reason}.",
            "Update einvoice-gov and run the report again with --store.",
        ),
        "trace.error": (
            "The audit log could not be read",
            "The log {store} is unreadable or missing ({reason}): the invoices' audit trail "
            "cannot be checked.",
            "Check the address given to --store (and that the file or database exists), then "
            "run the report again; otherwise have the provider examine the log.",
        ),
        "trace.chain": (
            "The audit log was altered",
            "Chain verification fails at entry {first_bad}: {reason}. The audit trail no "
            "longer proves the invoices' integrity.",
            "Delete nothing; have the provider analyse the log and restore the last verified "
            "backup.",
        ),
        "trace.archive": (
            "Archive altered or incomplete",
            "{damaged} archived object(s) no longer match their fingerprint and {missing} are "
            "missing in {directory}: the integrity required for {tax_years} years is no longer "
            "proven.",
            "Delete nothing; restore these objects from the offline backup and run "
            '"einvoice-gov archive verify" again.',
        ),
        "trace.anomaly": (
            "{label} ({n} invoice(s))",
            "{message}",
            "{fix}",
        ),
    },
}

#: Trace anomaly codes (``einvoice_gov.trace.lifecycle``) -> labels, fixes, owner, and the
#: list of ``flows`` they fill ("bucket").
TRACE_ANOMALIES: dict[str, dict[str, str]] = {
    "TRACE-NOT-DEPOSITED": {
        "why_fr": "Une facture qui n'est pas déposée sur une plateforme n'est pas émise "
        "électroniquement : à partir de l'obligation, {fine_invoice} d'amende par facture.",
        "why_en": "An invoice not deposited on a platform is not issued electronically: once "
        "the obligation applies, a {fine_invoice} fine per invoice.",
        "label_fr": "Factures émises jamais déposées",
        "label_en": "Invoices issued but never deposited",
        "fix_fr": "Déposer ces factures sur la plateforme (ou noter pourquoi elles ne le sont "
        "pas) ; vérifier l'envoi automatique du logiciel.",
        "fix_en": "Deposit these invoices on the platform (or record why not); check the "
        "software's automatic sending.",
        "owner": "pilot",
        "bucket": "not_deposited",
    },
    "TRACE-REJECTED-NOT-REISSUED": {
        "why_fr": "Une facture rejetée ou refusée n'existe plus pour le client : tant qu'elle "
        "n'est pas réémise, elle ne sera pas payée et la TVA déclarée est fausse.",
        "why_en": "A rejected or refused invoice no longer exists for the customer: until it is"
        " re-issued it will not be paid and the VAT declared is wrong.",
        "label_fr": "Factures rejetées ou refusées non réémises",
        "label_en": "Rejected or refused invoices not re-issued",
        "fix_fr": "Annuler chaque facture rejetée par un avoir interne et émettre une facture "
        "rectifiée (enregistrée avec « replaces »).",
        "fix_en": "Cancel each rejected invoice with an internal credit note and issue a "
        'corrected invoice (recorded with "replaces").',
        "owner": "pilot",
        "bucket": "rejected_not_reissued",
    },
    "TRACE-STATUS-BEFORE-DEPOSIT": {
        "why_fr": "Le statut 200 Déposée est obligatoire : sans lui, rien ne prouve que la "
        "facture est passée par la plateforme.",
        "why_en": "Status 200 Deposited is mandatory: without it nothing proves the invoice "
        "went through the platform.",
        "label_fr": "Statut obligatoire 200 Déposée manquant",
        "label_en": "Mandatory status 200 Deposited missing",
        "fix_fr": "Demander à la plateforme le statut 200 (Déposée) de ces factures et "
        "l'enregistrer.",
        "fix_en": "Ask the platform for these invoices' 200 (Deposited) status and record it.",
        "owner": "provider",
        "bucket": "missing_statuses",
    },
    "TRACE-PAID-BEFORE-DEPOSIT": {
        "why_fr": "Le statut 200 Déposée est obligatoire : sans lui, rien ne prouve que la "
        "facture est passée par la plateforme.",
        "why_en": "Status 200 Deposited is mandatory: without it nothing proves the invoice "
        "went through the platform.",
        "label_fr": "Encaissement enregistré sans statut 200 Déposée",
        "label_en": "Payment recorded without a 200 Deposited status",
        "fix_fr": "Retrouver le dépôt de ces factures sur la plateforme (statut 200) ; une "
        "facture encaissée sans dépôt n'a pas été émise électroniquement.",
        "fix_en": "Find these invoices' deposit on the platform (status 200); an invoice paid "
        "without a deposit was not issued electronically.",
        "owner": "provider",
        "bucket": "missing_statuses",
    },
    "TRACE-AMOUNT-MISSING": {
        "why_fr": "Le statut 212 Encaissée doit porter le montant encaissé par taux de TVA ; "
        "sinon la donnée de paiement manque ({fine_ereporting} par transmission manquante).",
        "why_en": "Status 212 Payment received must carry the cashed amount by VAT rate; "
        "otherwise the payment data is missing ({fine_ereporting} per missed transmission).",
        "label_fr": "Statut 212 Encaissée sans montant par taux de TVA",
        "label_en": "Status 212 Payment received without the amount by VAT rate",
        "fix_fr": "Transmettre l'encaissement avec le montant par taux de TVA (obligatoire "
        "pour l'e-reporting des paiements).",
        "fix_en": "Send the payment with its amount by VAT rate (required for payment "
        "e-reporting).",
        "owner": "accountant",
    },
    "TRACE-REASON-MISSING": {
        "label_fr": "Statuts sans motif",
        "label_en": "Statuses without a reason code",
        "fix_fr": "Demander à la plateforme le motif de ces refus, rejets ou suspensions.",
        "fix_en": "Ask the platform for the reason of these refusals, rejections or suspensions.",
        "owner": "provider",
    },
    "TRACE-NOT-ARCHIVED": {
        "why_fr": "Les factures doivent rester intactes et lisibles {tax_years} ans "
        "(art. L102 B LPF) ; "
        "sans copie archivée, leur intégrité n'est pas prouvée.",
        "why_en": "Invoices must stay intact and readable for {tax_years} years (art. L102 B LPF); "
        "without an archived copy their integrity is not proven.",
        "label_fr": "Factures sans copie archivée",
        "label_en": "Invoices without an archived copy",
        "fix_fr": "Archiver chaque facture (« einvoice-gov archive put --invoice ») pour la "
        "conserver intacte {tax_years} ans ({commercial_years} ans en droit commercial).",
        "fix_en": 'Archive every invoice ("einvoice-gov archive put --invoice") to keep it '
        "intact for {tax_years} years ({commercial_years} under commercial law).",
        "owner": "pilot",
        "bucket": "not_archived",
    },
    "TRACE-ISSUED-INVALID": {
        "why_fr": "Une facture invalide est rejetée par la plateforme : elle devra être annulée"
        " et réémise.",
        "why_en": "An invalid invoice is rejected by the platform: it will have to be cancelled"
        " and issued again.",
        "label_fr": "Factures émises malgré une validation en échec",
        "label_en": "Invoices issued although their validation failed",
        "fix_fr": "Corriger ces factures (voir « einvoice-gov check ») et les réémettre.",
        "fix_en": 'Correct these invoices (see "einvoice-gov check") and issue them again.',
        "owner": "pilot",
    },
    "TRACE-STATUS-AFTER-CLOSE": {
        "label_fr": "Statuts reçus après clôture de la facture",
        "label_en": "Statuses received after the invoice was closed",
        "fix_fr": "Vérifier avec la plateforme pourquoi une facture refusée ou rejetée "
        "continue de recevoir des statuts.",
        "fix_en": "Check with the platform why a refused or rejected invoice keeps receiving "
        "statuses.",
        "owner": "provider",
    },
    "TRACE-UNEXPECTED-TRANSITION": {
        "label_fr": "Enchaînements de statuts inattendus",
        "label_en": "Unexpected status sequences",
        "fix_fr": "Vérifier la séquence des statuts avec la plateforme.",
        "fix_en": "Check the sequence of statuses with the platform.",
        "owner": "provider",
    },
    "TRACE-UNKNOWN-STATUS": {
        "label_fr": "Codes de statut inconnus",
        "label_en": "Unknown status codes",
        "fix_fr": "Demander à la plateforme la signification de ces codes.",
        "fix_en": "Ask the platform what these codes mean.",
        "owner": "provider",
    },
    "TRACE-UNKNOWN-INVOICE": {
        "label_fr": "Événements pour des factures jamais enregistrées",
        "label_en": "Events for invoices never recorded",
        "fix_fr": "Enregistrer l'émission ou la réception de ces factures dans le journal.",
        "fix_en": "Record the issue or receipt of these invoices in the log.",
        "owner": "pilot",
    },
}

#: Fallback for anomaly codes we do not know yet.
TRACE_ANOMALY_DEFAULT = {
    "fix_fr": "Examiner la piste d'audit de ces factures avec « einvoice-gov trace show ».",
    "fix_en": 'Examine these invoices\' trail with "einvoice-gov trace show".',
    "owner": "pilot",
}

ORG_VARIANTS: dict[str, dict[str, str]] = {
    "fr": {
        "unknown": "{title} (réponse inconnue)",
        "stale": "{title} : à refaire (dernière fois le {date})",
        "undated": "{title} : noter la date",
        "undated_why": "La réponse est « oui » mais sans date : on ne peut pas savoir si c'est "
        "encore vrai.",
        "undated_fix": "Noter dans company.toml la date ({what}).",
    },
    "en": {
        "unknown": "{title} (answer unknown)",
        "stale": "{title}: due again (last done {date})",
        "undated": "{title}: record the date",
        "undated_why": 'The answer is "yes" but undated: there is no telling whether it is '
        "still true.",
        "undated_fix": "Record the date in company.toml ({what}).",
    },
}

WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Rapport de préparation à la facturation électronique",
        "subtitle": "{name} — SIREN {siren} — catégorie {category} — au {today}",
        "score": "Score de préparation",
        "deadlines": "Échéances",
        "due": "en vigueur",
        "upcoming": "à venir",
        "days_ago": "depuis {n} jours",
        "days_left": "dans {n} jours",
        "invoices": "Factures du dossier",
        "total": "fichiers",
        "valid": "valides",
        "invalid": "invalides",
        "ready": "prêtes",
        "top_rules": "Règles les plus en échec",
        "rule": "Règle",
        "count": "constats",
        "files": "fichiers",
        "fix": "Que faire",
        "suppliers": "Par fournisseur",
        "customers": "Par client",
        "flows": "Piste d'audit (journal)",
        "no_ledger": "Pas de journal (no ledger) : relancer avec --store pour suivre les dépôts "
        "et les statuts.",
        "funnel": "Émises → déposées → acceptées → archivées",
        "issued": "émises",
        "deposited": "déposées",
        "accepted": "acceptées",
        "archived": "archivées",
        "rejected": "rejetées",
        "refused": "refusées",
        "paid": "encaissées",
        "chain_ok": "Chaîne du journal vérifiée ({n} entrées).",
        "chain_bad": "Chaîne du journal CASSÉE : {reason}",
        "penalties": "Amendes encourues sur un an si rien ne change (estimation)",
        "penalty_basis_profile": "Volume : {n} factures émises par an (profil).",
        "penalty_basis_folder": "Volume : {n} factures émises (dossier analysé, pris comme "
        "une année).",
        "penalty_basis_unknown": "Volume de factures inconnu.",
        "total_exposure": "Total estimé",
        "gaps": "Écarts à corriger",
        "severity": "Gravité",
        "owner": "Responsable",
        "deadline": "Échéance",
        "why": "Pourquoi",
        "action": "Action",
        "blocking": "bloquant",
        "important": "important",
        "advice": "conseil",
        "direction": "direction",
        "pilot": "pilote",
        "provider": "prestataire",
        "accountant": "expert-comptable",
        "overdue": "en retard",
        "roadmap": "Feuille de route sur 12 mois",
        "security": "Sécurité",
        "einvoicing": "Facturation électronique",
        "equipment": "Équipement",
        "contracts": "Contrats",
        "routines": "Rituels",
        "routine_quarterly": "Point trimestriel pilote + direction (30 min) : écarts, "
        "rejets, sauvegardes",
        "routine_yearly": "Réunion annuelle avec le prestataire : revue de cette feuille de "
        "route, des contrats et des niveaux de service",
        "routine_restore": "Test de restauration annuel, daté dans company.toml",
        "routine_rerun": "Relancer « einvoice-gov report » chaque trimestre",
        "nothing": "Rien à signaler.",
        "more": "… et {n} de plus",
        "more_report": "+ {n} autre(s) : voir le rapport",
        "short_reception": "réception",
        "short_issuance": "émission",
        "short_e-reporting": "e-reporting",
        "generated": "Produit par einvoice-gov {version} le {today}. Estimation indicative, "
        "à valider avec l'expert-comptable.",
        "report_written": "Rapport écrit : {path}",
        "summary_line": "{valid}/{total} fichiers prêts ({share} %), {gaps} écarts dont "
        "{blocking} bloquants ; score {score}/100",
        "next_deadline": "Prochaine échéance : {label} le {date} ({when})",
        "roadmap_title": "Feuille de route facturation électronique et sécurité — {name}",
        "roadmap_sub": "SIREN {siren} · {category} · pilote : {pilot} · du {start} au {end}",
        "roadmap_foot": "À apporter à la réunion annuelle avec le prestataire. Source : "
        "einvoice-gov {version}, rapport du {today}.",
        "quarter": "T{n}",
        "none": "aucun",
        "no_pilot": "à nommer",
        "verdict": "Verdict",
        "seller": "Vendeur",
        "buyer": "Acheteur",
        "lines": "Lignes",
        "totals": "Totaux",
        "vat_breakdown": "Ventilation TVA",
        "findings": "Constats",
        "sample_title": "Échantillon pour l'expert-comptable",
        "sample_sub": "{n} fichiers tirés sur {total} (graine {seed}, strates : {by})",
        "stratum": "Strate",
        "file": "Fichier",
        "field_unknown": "Constats sans champ identifié",
        "no_details": "Détail de la facture non disponible pour ce fichier.",
        "line_short": "ligne",
        "valid_one": "valide",
        "invalid_one": "invalide",
        "name": "Nom",
        "vat_id": "N° TVA",
        "e_address": "Adresse électronique",
        "address": "Adresse",
        "number": "Numéro",
        "type": "Type (BT-3)",
        "issue_date": "Date",
        "due_date": "Échéance",
        "currency": "Devise",
        "item": "Article",
        "qty": "Quantité",
        "price": "Prix net",
        "net": "Montant HT",
        "vat": "TVA",
        "base": "Base HT",
        "tax": "Montant TVA",
        "excl": "Total HT",
        "vat_total": "Total TVA",
        "incl": "Total TTC",
        "prepaid": "Déjà payé",
        "payable": "Net à payer",
        "strata": "Population par strate",
        "sample_written": "Échantillon écrit : {path}",
    },
    "en": {
        "title": "E-invoicing readiness report",
        "subtitle": "{name} — SIREN {siren} — category {category} — as of {today}",
        "score": "Readiness score",
        "deadlines": "Deadlines",
        "due": "in force",
        "upcoming": "upcoming",
        "days_ago": "for {n} days",
        "days_left": "in {n} days",
        "invoices": "Invoices in the folder",
        "total": "files",
        "valid": "valid",
        "invalid": "invalid",
        "ready": "ready",
        "top_rules": "Most failing rules",
        "rule": "Rule",
        "count": "findings",
        "files": "files",
        "fix": "What to do",
        "suppliers": "By supplier",
        "customers": "By customer",
        "flows": "Audit trail (ledger)",
        "no_ledger": "No ledger: run again with --store to follow deposits and statuses.",
        "funnel": "Issued → deposited → accepted → archived",
        "issued": "issued",
        "deposited": "deposited",
        "accepted": "accepted",
        "archived": "archived",
        "rejected": "rejected",
        "refused": "refused",
        "paid": "paid",
        "chain_ok": "Log chain verified ({n} entries).",
        "chain_bad": "Log chain BROKEN: {reason}",
        "penalties": "Fines over one year if nothing changes (estimate)",
        "penalty_basis_profile": "Volume: {n} invoices issued a year (profile).",
        "penalty_basis_folder": "Volume: {n} invoices issued (folder analysed, taken as one year).",
        "penalty_basis_unknown": "Invoice volume unknown.",
        "total_exposure": "Estimated total",
        "gaps": "Gaps to fix",
        "severity": "Severity",
        "owner": "Owner",
        "deadline": "Deadline",
        "why": "Why",
        "action": "Action",
        "blocking": "blocking",
        "important": "important",
        "advice": "advice",
        "direction": "management",
        "pilot": "pilot",
        "provider": "provider",
        "accountant": "accountant",
        "overdue": "overdue",
        "roadmap": "12-month roadmap",
        "security": "Security",
        "einvoicing": "E-invoicing",
        "equipment": "Equipment",
        "contracts": "Contracts",
        "routines": "Routines",
        "routine_quarterly": "Quarterly check-in, pilot + management (30 min): gaps, "
        "rejections, backups",
        "routine_yearly": "Yearly meeting with the provider: review this roadmap, the "
        "contracts and service levels",
        "routine_restore": "Yearly restore test, dated in company.toml",
        "routine_rerun": 'Run "einvoice-gov report" again every quarter',
        "nothing": "Nothing to report.",
        "more": "… and {n} more",
        "more_report": "+ {n} more: see the report",
        "short_reception": "reception",
        "short_issuance": "issuance",
        "short_e-reporting": "e-reporting",
        "generated": "Produced by einvoice-gov {version} on {today}. An indicative estimate, "
        "to be confirmed with the accountant.",
        "report_written": "Report written: {path}",
        "summary_line": "{valid}/{total} files ready ({share} %), {gaps} gaps of which "
        "{blocking} blocking; score {score}/100",
        "next_deadline": "Next deadline: {label} on {date} ({when})",
        "roadmap_title": "E-invoicing and security roadmap — {name}",
        "roadmap_sub": "SIREN {siren} · {category} · pilot: {pilot} · {start} to {end}",
        "roadmap_foot": "Bring it to the yearly meeting with the provider. Source: "
        "einvoice-gov {version}, report of {today}.",
        "quarter": "Q{n}",
        "none": "none",
        "no_pilot": "to be named",
        "verdict": "Verdict",
        "seller": "Seller",
        "buyer": "Buyer",
        "lines": "Lines",
        "totals": "Totals",
        "vat_breakdown": "VAT breakdown",
        "findings": "Findings",
        "sample_title": "Sample for the accountant",
        "sample_sub": "{n} files drawn out of {total} (seed {seed}, strata: {by})",
        "stratum": "Stratum",
        "file": "File",
        "field_unknown": "Findings without an identified field",
        "no_details": "Invoice details not available for this file.",
        "line_short": "line",
        "valid_one": "valid",
        "invalid_one": "invalid",
        "name": "Name",
        "vat_id": "VAT number",
        "e_address": "Electronic address",
        "address": "Address",
        "number": "Number",
        "type": "Type (BT-3)",
        "issue_date": "Date",
        "due_date": "Due date",
        "currency": "Currency",
        "item": "Item",
        "qty": "Quantity",
        "price": "Net price",
        "net": "Net amount",
        "vat": "VAT",
        "base": "Taxable amount",
        "tax": "VAT amount",
        "excl": "Total excl. VAT",
        "vat_total": "Total VAT",
        "incl": "Total incl. VAT",
        "prepaid": "Already paid",
        "payable": "Amount due",
        "strata": "Population by stratum",
        "sample_written": "Sample written: {path}",
    },
}


def words(lang: str) -> dict[str, str]:
    return WORDS["en" if lang == "en" else "fr"]


def gap_text(key: str, lang: str) -> GapText:
    return GAPS["en" if lang == "en" else "fr"][key]
