"""The questions ``einvoice-gov init`` asks, in French and English (the checklist questions
themselves are in :mod:`einvoice_gov.profile.checklist`)."""

from __future__ import annotations

QUESTIONS: dict[str, dict[str, str]] = {
    "fr": {
        "intro": "Profil de l'entreprise : quelques questions (Entrée garde la valeur proposée, "
        "« ? » veut dire « ne sait pas »).",
        "name": "Nom de l'entreprise",
        "siren": "SIREN (9 chiffres)",
        "siren_bad": "Le SIREN compte exactement 9 chiffres.",
        "headcount": "Effectif (personnes) au dernier exercice clos (vide si inconnu)",
        "turnover": "Chiffre d'affaires en euros (vide si inconnu)",
        "balance": "Total du bilan en euros (vide si inconnu)",
        "category": "Catégorie de taille (micro, pme, eti, ge)",
        "category_rule": "D'après l'effectif et les montants, la catégorie est « {cat} ».",
        "vat_regime": "Régime de TVA (reel_normal_mensuel, reel_normal_trimestriel, simplifie, "
        "franchise, unknown)",
        "e_reporting": "Ventes aux particuliers ou avec des entreprises étrangères ?",
        "invoices": "Nombre de factures émises par an (vide si inconnu)",
        "pa_name": "Plateforme agréée choisie pour recevoir les factures (vide si aucune)",
        "pa_since": "Depuis quand (AAAA-MM-JJ, vide si inconnu)",
        "pa_directory": "La ligne de l'entreprise est-elle publiée dans l'annuaire ?",
        "pilot_name": "Nom du pilote (la personne qui suit la facturation et l'informatique)",
        "pilot_mandate": "Mandat du pilote (par qui, quand ; vide si aucun)",
        "pilot_hours": "Heures par mois accordées au pilote (vide si inconnu)",
        "provider": "Prestataire (nom ; vide pour terminer)",
        "provider_role": "Son rôle (plateforme, logiciel, infogérance, expert-comptable...)",
        "checklist_now": "Répondre maintenant à la liste de contrôle ({n} questions) ?",
        "date_bad": "Date attendue au format AAAA-MM-JJ.",
        "written": "Profil écrit : {path}",
        "exists": "{path} existe déjà (utiliser --force pour le remplacer).",
        "next": "Étape suivante : einvoice-gov report DOSSIER --profile {path} --format html "
        "-o rapport.html",
        "yes": "oui",
        "no": "non",
        "unknown": "?",
    },
    "en": {
        "intro": "Company profile: a few questions (Enter keeps the proposed value, "
        '"?" means "do not know").',
        "name": "Company name",
        "siren": "SIREN (9 digits)",
        "siren_bad": "A SIREN has exactly 9 digits.",
        "headcount": "Staff (persons) in the last closed year (empty if unknown)",
        "turnover": "Turnover in euros (empty if unknown)",
        "balance": "Balance-sheet total in euros (empty if unknown)",
        "category": "Size category (micro, pme, eti, ge)",
        "category_rule": 'From the staff and amounts, the category is "{cat}".',
        "vat_regime": "VAT regime (reel_normal_mensuel, reel_normal_trimestriel, simplifie, "
        "franchise, unknown)",
        "e_reporting": "Sales to consumers or with businesses abroad?",
        "invoices": "Invoices issued per year (empty if unknown)",
        "pa_name": "Approved platform chosen to receive invoices (empty if none)",
        "pa_since": "Since when (YYYY-MM-DD, empty if unknown)",
        "pa_directory": "Is the company's line published in the directory?",
        "pilot_name": "Name of the pilot (the person following invoicing and IT)",
        "pilot_mandate": "Pilot's mandate (by whom, when; empty if none)",
        "pilot_hours": "Hours per month granted to the pilot (empty if unknown)",
        "provider": "Provider (name; empty to finish)",
        "provider_role": "Its role (platform, software, IT support, accountant...)",
        "checklist_now": "Answer the checklist now ({n} questions)?",
        "date_bad": "Expected a date as YYYY-MM-DD.",
        "written": "Profile written: {path}",
        "exists": "{path} already exists (use --force to replace it).",
        "next": "Next step: einvoice-gov report FOLDER --profile {path} --format html "
        "-o report.html",
        "yes": "yes",
        "no": "no",
        "unknown": "?",
    },
}


def words(lang: str) -> dict[str, str]:
    """The question texts for ``lang`` (French unless ``lang == "en"``)."""
    return QUESTIONS["en" if lang == "en" else "fr"]
