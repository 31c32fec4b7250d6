"""What each organisational checklist item means: the question ``init`` asks, and the gap the
readiness report raises when the answer is not "yes" (or when the dated action is too old).

Derived from the ANSSI / Cybermalveillance.gouv.fr baseline for TPE/PME (FACTS.md §8) and the
reform's archiving and storage rules (§6: art. L102 C LPF on where data may be stored).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from einvoice_gov.reform import facts

#: Reform figures quoted in the texts (retention periods), from the one place that holds them.
_FACTS = {
    "tax_years": facts.TAX_RETENTION_YEARS.value,
    "commercial_years": facts.COMMERCIAL_RETENTION_YEARS.value,
}

Owner = Literal["direction", "pilot", "provider", "accountant"]
Severity = Literal["blocking", "important", "advice"]
Track = Literal["security", "einvoicing", "equipment", "contracts"]


@dataclass(frozen=True)
class ItemInfo:
    """Texts and triage of one checklist item (French and English)."""

    id: str
    track: Track
    owner: Owner
    severity: Severity
    question_fr: str
    question_en: str
    title_fr: str
    title_en: str
    why_fr: str
    why_en: str
    fix_fr: str
    fix_en: str
    #: what ``date`` records for this item, or None when no date is asked
    date_fr: str | None = None
    date_en: str | None = None
    #: a "yes" older than this many days is reported as stale
    max_age_days: int | None = None

    def text(self, field: str, lang: str) -> str:
        """The French or English text of ``field`` (question, title, why, fix, date)."""
        value: str | None = getattr(self, f"{field}_{'fr' if lang == 'fr' else 'en'}")
        return (value or "").format(**_FACTS)


ITEMS: tuple[ItemInfo, ...] = (
    ItemInfo(
        id="asset_inventory",
        track="equipment",
        owner="pilot",
        severity="important",
        question_fr="Existe-t-il un inventaire à jour du matériel, des logiciels, des données "
        "et des accès ?",
        question_en="Is there an up-to-date inventory of equipment, software, data and accesses?",
        title_fr="Tenir l'inventaire du parc informatique",
        title_en="Keep an inventory of the IT assets",
        why_fr="On ne protège pas ce qu'on ne connaît pas : postes, logiciels de facturation, "
        "comptes du portail de la plateforme agréée et sauvegardes doivent être listés.",
        why_en="You cannot protect what you do not know: computers, invoicing software, "
        "platform portal accounts and backups must be listed.",
        fix_fr="Lister sur une page matériel, logiciels, données, comptes et prestataires ; "
        "la relire au moins une fois par an.",
        fix_en="List equipment, software, data, accounts and providers on one page; review it "
        "at least once a year.",
        date_fr="date de la dernière mise à jour",
        date_en="date of the last update",
        max_age_days=366,
    ),
    ItemInfo(
        id="backups_321",
        track="equipment",
        owner="provider",
        severity="important",
        question_fr="Les sauvegardes suivent-elles la règle 3-2-1 (3 copies, 2 supports, "
        "1 hors site) ?",
        question_en="Do backups follow the 3-2-1 rule (3 copies, 2 media, 1 off site)?",
        title_fr="Sauvegarder selon la règle 3-2-1",
        title_en="Back up with the 3-2-1 rule",
        why_fr="Les factures doivent rester lisibles et intactes pendant {tax_years} ans "
        "({commercial_years} ans pour le code de commerce) : une panne ou un rançongiciel ne "
        "doit pas les effacer.",
        why_en="Invoices must stay readable and intact for {tax_years} years "
        "({commercial_years} under commercial law): a failure or ransomware must not wipe them "
        "out.",
        fix_fr="Garder 3 copies des données, sur 2 supports différents, dont 1 hors des "
        "locaux ; demander au prestataire de l'écrire dans le contrat.",
        fix_en="Keep 3 copies of the data, on 2 different media, 1 of them off site; ask the "
        "provider to put it in the contract.",
    ),
    ItemInfo(
        id="backup_offline_copy",
        track="equipment",
        owner="provider",
        severity="important",
        question_fr="Une copie de sauvegarde est-elle déconnectée (hors ligne) ?",
        question_en="Is one backup copy disconnected (offline)?",
        title_fr="Garder une copie de sauvegarde hors ligne",
        title_en="Keep one backup copy offline",
        why_fr="Un rançongiciel chiffre aussi les sauvegardes qu'il peut atteindre ; seule "
        "une copie débranchée y échappe.",
        why_en="Ransomware also encrypts every backup it can reach; only a disconnected copy "
        "escapes it.",
        fix_fr="Faire tourner un disque externe débranché après chaque sauvegarde, ou une "
        "sauvegarde immuable chez le prestataire.",
        fix_en="Rotate an external disk unplugged after each backup, or use an immutable "
        "backup at the provider.",
    ),
    ItemInfo(
        id="restore_test",
        track="security",
        owner="pilot",
        severity="important",
        question_fr="Une restauration de sauvegarde a-t-elle été testée ?",
        question_en="Has restoring a backup been tested?",
        title_fr="Tester la restauration des sauvegardes",
        title_en="Test restoring the backups",
        why_fr="Une sauvegarde jamais restaurée est une promesse : on découvre trop tard "
        "qu'elle est incomplète ou illisible.",
        why_en="A backup never restored is a promise: you find out too late that it is "
        "incomplete or unreadable.",
        fix_fr="Restaurer une fois par an un dossier de factures et la comptabilité sur un "
        "autre poste, noter la date et la durée.",
        fix_en="Once a year, restore a folder of invoices and the accounts on another "
        "computer; note the date and how long it took.",
        date_fr="date du dernier test de restauration",
        date_en="date of the last restore test",
        max_age_days=366,
    ),
    ItemInfo(
        id="updates",
        track="equipment",
        owner="provider",
        severity="important",
        question_fr="Les mises à jour (système et logiciels) sont-elles automatiques ?",
        question_en="Are updates (system and software) applied automatically?",
        title_fr="Appliquer les mises à jour automatiquement",
        title_en="Apply updates automatically",
        why_fr="La plupart des intrusions passent par une faille déjà corrigée par l'éditeur "
        "mais pas installée.",
        why_en="Most intrusions use a flaw the vendor already fixed but that was not installed.",
        fix_fr="Activer les mises à jour automatiques ; remplacer les postes et logiciels "
        "qui n'en reçoivent plus.",
        fix_en="Turn on automatic updates; replace computers and software that no longer get them.",
    ),
    ItemInfo(
        id="antivirus",
        track="equipment",
        owner="provider",
        severity="advice",
        question_fr="Chaque poste a-t-il un antivirus à jour ?",
        question_en="Does every computer run an up-to-date antivirus?",
        title_fr="Équiper chaque poste d'un antivirus à jour",
        title_en="Run an up-to-date antivirus on every computer",
        why_fr="Les factures arrivent par courriel et par le portail : une pièce jointe "
        "piégée suffit.",
        why_en="Invoices arrive by e-mail and through the portal: one booby-trapped "
        "attachment is enough.",
        fix_fr="Vérifier que l'antivirus est actif et se met à jour sur tous les postes.",
        fix_en="Check that the antivirus is on and updating itself on every computer.",
    ),
    ItemInfo(
        id="password_manager",
        track="security",
        owner="pilot",
        severity="advice",
        question_fr="Les mots de passe sont-ils uniques et gardés dans un gestionnaire ?",
        question_en="Are passwords unique and kept in a password manager?",
        title_fr="Des mots de passe uniques, dans un gestionnaire",
        title_en="Unique passwords, kept in a password manager",
        why_fr="Un mot de passe réutilisé et volé ailleurs ouvre le portail de facturation.",
        why_en="A password reused and stolen elsewhere opens the invoicing portal.",
        fix_fr="Installer un gestionnaire de mots de passe et y changer les mots de passe "
        "partagés ou réutilisés.",
        fix_en="Install a password manager and change shared or reused passwords in it.",
    ),
    ItemInfo(
        id="mfa_pa_portal",
        track="security",
        owner="pilot",
        severity="important",
        question_fr="La double authentification est-elle active sur le portail de la "
        "plateforme agréée ?",
        question_en="Is two-factor authentication on for the approved platform's portal?",
        title_fr="Double authentification sur le portail de la plateforme agréée",
        title_en="Two-factor authentication on the platform portal",
        why_fr="Le portail voit passer toutes les factures et leurs coordonnées bancaires : "
        "un accès volé permet la fraude au changement de RIB.",
        why_en="The portal sees every invoice and its bank details: a stolen login enables "
        "bank-detail fraud.",
        fix_fr="Activer la double authentification pour chaque compte du portail ; "
        "supprimer les comptes des personnes parties.",
        fix_en="Turn on two-factor authentication for every portal account; remove the "
        "accounts of people who left.",
    ),
    ItemInfo(
        id="mfa_mailbox",
        track="security",
        owner="pilot",
        severity="important",
        question_fr="La double authentification est-elle active sur la messagerie ?",
        question_en="Is two-factor authentication on for the mailbox?",
        title_fr="Double authentification sur la messagerie",
        title_en="Two-factor authentication on the mailbox",
        why_fr="La messagerie sert à réinitialiser tous les autres mots de passe.",
        why_en="The mailbox is used to reset every other password.",
        fix_fr="Activer la double authentification sur toutes les boîtes de l'entreprise.",
        fix_en="Turn on two-factor authentication on every company mailbox.",
    ),
    ItemInfo(
        id="mfa_bank",
        track="security",
        owner="direction",
        severity="important",
        question_fr="La double authentification est-elle active sur la banque en ligne ?",
        question_en="Is two-factor authentication on for online banking?",
        title_fr="Double authentification sur la banque en ligne",
        title_en="Two-factor authentication on online banking",
        why_fr="Les paiements des factures partent de là : c'est la cible finale des fraudeurs.",
        why_en="Invoice payments leave from there: it is the fraudsters' final target.",
        fix_fr="Activer la validation forte des virements et limiter qui peut ajouter un "
        "bénéficiaire.",
        fix_en="Turn on strong approval of transfers and limit who can add a payee.",
    ),
    ItemInfo(
        id="admin_user_separation",
        track="security",
        owner="provider",
        severity="important",
        question_fr="Les comptes administrateur sont-ils séparés des comptes de travail "
        "quotidien ?",
        question_en="Are administrator accounts separate from everyday accounts?",
        title_fr="Séparer comptes administrateur et comptes utilisateur",
        title_en="Separate administrator and user accounts",
        why_fr="Travailler en administrateur donne à un virus les pleins pouvoirs sur le "
        "poste et les partages.",
        why_en="Working as administrator gives a virus full power over the computer and the "
        "shares.",
        fix_fr="Un compte utilisateur pour le travail, un compte administrateur réservé à "
        "l'installation, tenu par le prestataire ou le pilote.",
        fix_en="A user account for work, an administrator account only for installing, "
        "held by the provider or the pilot.",
    ),
    ItemInfo(
        id="incident_plan",
        track="security",
        owner="direction",
        severity="important",
        question_fr="Existe-t-il un plan de réaction à incident avec les contacts à appeler ?",
        question_en="Is there an incident plan with the contacts to call?",
        title_fr="Écrire le plan de réaction à incident",
        title_en="Write the incident response plan",
        why_fr="Pendant une attaque ou une panne de la plateforme, il faut savoir qui "
        "appeler et comment continuer à facturer.",
        why_en="During an attack or a platform outage you must know whom to call and how to "
        "keep invoicing.",
        fix_fr="Une page : qui prévenir (prestataire, plateforme, banque, assureur, "
        "17Cyber / Cybermalveillance.gouv.fr), quoi débrancher, comment facturer en mode "
        "dégradé.",
        fix_en="One page: whom to warn (provider, platform, bank, insurer, 17Cyber / "
        "Cybermalveillance.gouv.fr), what to unplug, how to invoice in degraded mode.",
        date_fr="date de la dernière mise à jour",
        date_en="date of the last update",
        max_age_days=366,
    ),
    ItemInfo(
        id="cyber_insurance",
        track="contracts",
        owner="direction",
        severity="advice",
        question_fr="La couverture cyber-assurance a-t-elle été revue ?",
        question_en="Has the cyber-insurance cover been reviewed?",
        title_fr="Revoir la couverture cyber-assurance",
        title_en="Review the cyber-insurance cover",
        why_fr="Une interruption de facturation ou une fraude au virement coûte cher ; "
        "beaucoup de contrats excluent ce qui n'est pas déclaré.",
        why_en="An invoicing outage or a transfer fraud is costly; many policies exclude "
        "what was not declared.",
        fix_fr="Demander à l'assureur ce qui est couvert (fraude, rançongiciel, perte "
        "d'exploitation) et à quelles conditions (sauvegardes, double authentification).",
        fix_en="Ask the insurer what is covered (fraud, ransomware, business interruption) "
        "and on which conditions (backups, two-factor authentication).",
        date_fr="date de la dernière revue",
        date_en="date of the last review",
        max_age_days=366,
    ),
    ItemInfo(
        id="contract_data_location",
        track="contracts",
        owner="direction",
        severity="important",
        question_fr="Le contrat de la plateforme / du prestataire dit-il où sont stockées les "
        "données ?",
        question_en="Does the platform / provider contract say where the data are stored?",
        title_fr="Connaître le lieu de stockage des factures",
        title_en="Know where the invoices are stored",
        why_fr="Les factures électroniques ne peuvent être stockées hors de France que dans "
        "un pays lié par une convention d'assistance, et le lieu doit être déclaré "
        "(art. L102 C LPF).",
        why_en="Electronic invoices may be stored outside France only in a country bound by "
        "an assistance treaty, and the place must be declared (art. L102 C LPF).",
        fix_fr="Obtenir par écrit le pays de stockage (et de sauvegarde) et le signaler à "
        "l'expert-comptable.",
        fix_en="Get the storage (and backup) country in writing and tell the accountant.",
        date_fr="date de la revue du contrat",
        date_en="date of the contract review",
    ),
    ItemInfo(
        id="contract_reversibility",
        track="contracts",
        owner="direction",
        severity="important",
        question_fr="Le contrat prévoit-il la réversibilité (récupérer toutes les factures "
        "et statuts en fin de contrat) ?",
        question_en="Does the contract provide for reversibility (getting every invoice and "
        "status back when it ends)?",
        title_fr="Garantir la réversibilité du contrat",
        title_en="Secure the contract's reversibility",
        why_fr="Les factures doivent être conservées {tax_years} ans : changer de plateforme "
        "ne doit pas les faire perdre.",
        why_en="Invoices must be kept {tax_years} years: changing platform must not lose them.",
        fix_fr="Faire écrire le format, le délai et le prix de la restitution des factures, "
        "statuts et pistes d'audit.",
        fix_en="Have the format, time and price of returning invoices, statuses and audit "
        "trails written in the contract.",
        date_fr="date de la revue du contrat",
        date_en="date of the contract review",
    ),
    ItemInfo(
        id="contract_service_levels",
        track="contracts",
        owner="direction",
        severity="advice",
        question_fr="Le contrat fixe-t-il des niveaux de service (disponibilité, support, "
        "délais) ?",
        question_en="Does the contract set service levels (availability, support, times)?",
        title_fr="Fixer les niveaux de service du prestataire",
        title_en="Set the provider's service levels",
        why_fr="Sans engagement écrit, une panne de la plateforme bloque la facturation sans "
        "recours.",
        why_en="Without a written commitment, a platform outage blocks invoicing with no remedy.",
        fix_fr="Demander disponibilité, délai d'intervention, contact du support et compte "
        "rendu annuel ; les revoir à la réunion annuelle.",
        fix_en="Ask for availability, response time, a support contact and a yearly report; "
        "review them at the yearly meeting.",
        date_fr="date de la revue du contrat",
        date_en="date of the contract review",
    ),
)

#: item id -> texts
BY_ID: dict[str, ItemInfo] = {i.id: i for i in ITEMS}
