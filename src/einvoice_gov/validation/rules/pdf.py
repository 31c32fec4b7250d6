"""Rules of the ``pdf`` stage: the Factur-X / ZUGFeRD PDF container, its attachment and XMP.

What Mustang checks in the XMP (PEER_CHECKS.md §2, codes noted as ``mustang N``) plus what it
misses: AFRelationship, the catalog /AF entry, the attachment MIME type, attachment name vs XMP,
XMP ConformanceLevel vs the XML profile, several invoice attachments, encryption, scripts,
oversized attachments and the XML's byte-order mark / encoding declaration. PDF/A conformance
itself (fonts, colours, structure) is NOT verified: only the declared identification is read,
and ``PDF-PDFA-DECLARED`` says so on every file that makes the claim.
"""

from __future__ import annotations

from einvoice_gov.validation.findings import Severity, Stage
from einvoice_gov.validation.registry import rule

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
P = Stage.PDF

# -- reading the container ----------------------------------------------------------------------

rule(
    "PDF-UNREADABLE",
    Stage.INPUT,
    E,
    en="The PDF is damaged and cannot be read: {detail}",
    fr="Le PDF est abîmé et ne peut pas être lu : {detail}",
    fix_en="Ask the sender for a new copy of the invoice.",
    fix_fr="Demandez à l'émetteur un nouvel exemplaire de la facture.",
)
rule(
    "PDF-ENCRYPTED",
    P,
    E,
    en="The PDF is encrypted: {detail}",
    fr="Le PDF est chiffré : {detail}",
    fix_en="Factur-X PDFs must not be protected by a password or encryption; export it again "
    "without protection.",
    fix_fr="Un PDF Factur-X ne doit pas être protégé par mot de passe ni chiffré ; "
    "exportez-le à nouveau sans protection.",
    notes="Raised at stage input when the PDF needs a password (nothing can be read); "
    "reported at stage pdf when it opens with an empty password (the file is read anyway).",
)
rule(
    "PDF-JAVASCRIPT",
    P,
    E,
    en="The PDF contains JavaScript ({detail}). PDF/A, and therefore Factur-X, forbids scripts, "
    "and a script in an invoice is a security risk.",
    fr="Le PDF contient du JavaScript ({detail}). Le PDF/A, donc le Factur-X, interdit les "
    "scripts, et un script dans une facture est un risque de sécurité.",
    fix_en="Do not open it with scripts enabled; ask the sender for a clean Factur-X export "
    "(PDF/A-3 without scripts).",
    fix_fr="Ne l'ouvrez pas avec les scripts activés ; demandez à l'émetteur un export "
    "Factur-X propre (PDF/A-3 sans script).",
)
rule(
    "PDF-LAUNCH-ACTION",
    P,
    E,
    en="The PDF contains an action that starts a program or opens a file ({detail}). PDF/A "
    "forbids it and it is a classic way to spread malware.",
    fr="Le PDF contient une action qui lance un programme ou ouvre un fichier ({detail}). Le "
    "PDF/A l'interdit et c'est un moyen classique de diffuser un logiciel malveillant.",
    fix_en="Do not open it; report it to the sender and ask for a clean Factur-X export.",
    fix_fr="Ne l'ouvrez pas ; signalez-le à l'émetteur et demandez un export Factur-X propre.",
)
rule(
    "PDF-SCAN-INCOMPLETE",
    P,
    W,
    en="The PDF has so many objects that the search for scripts stopped early ({detail}).",
    fr="Le PDF contient tant d'objets que la recherche de scripts s'est arrêtée avant la fin "
    "({detail}).",
    fix_en="An invoice PDF is normally small: ask the sender why this one is so large.",
    fix_fr="Un PDF de facture est normalement léger : demandez à l'émetteur pourquoi celui-ci "
    "est si volumineux.",
)

# -- the invoice attachment ---------------------------------------------------------------------

rule(
    "PDF-NO-INVOICE-XML",
    P,
    E,
    en="The PDF carries no invoice XML: it is a plain PDF, not a Factur-X e-invoice. {detail}",
    fr="Le PDF ne contient aucun XML de facture : c'est un PDF simple, pas une facture "
    "électronique Factur-X. {detail}",
    fix_en="From 2026-2027 a PDF alone is no longer an invoice: issue it as Factur-X (PDF with "
    "the embedded factur-x.xml) through your platform.",
    fix_fr="À partir de 2026-2027 un simple PDF n'est plus une facture : émettez-la en Factur-X "
    "(PDF avec factur-x.xml intégré) via votre plateforme agréée.",
)
rule(
    "PDF-SEVERAL-INVOICE-XML",
    P,
    E,
    en="The PDF carries several invoice XML files ({detail}): platforms may read another one "
    "than you expect.",
    fr="Le PDF contient plusieurs XML de facture ({detail}) : la plateforme risque d'en lire "
    "un autre que celui que vous croyez.",
    fix_en="Keep exactly one invoice attachment, named factur-x.xml.",
    fix_fr="Ne gardez qu'une seule pièce jointe de facture, nommée factur-x.xml.",
    notes="Mustang silently reads the last one; Akretion factur-x the first one that parses.",
)
rule(
    "PDF-XML-MALFORMED",
    P,
    E,
    en="The invoice XML embedded in the PDF cannot be read: {detail}",
    fr="Le XML de facture intégré au PDF ne peut pas être lu : {detail}",
    fix_en="Regenerate the Factur-X PDF with your billing software.",
    fix_fr="Générez à nouveau le PDF Factur-X avec votre logiciel de facturation.",
)
rule(
    "PDF-INVOICE-XML-TOO-LARGE",
    P,
    E,
    en="The invoice attachment is too large to be read ({detail}).",
    fr="La pièce jointe de facture est trop volumineuse pour être lue ({detail}).",
    fix_en="An invoice XML is normally a few kilobytes: export it without embedded documents, "
    "and send bulky supporting documents separately.",
    fix_fr="Un XML de facture pèse normalement quelques kilo-octets : exportez-le sans "
    "documents intégrés et envoyez les justificatifs volumineux à part.",
)
rule(
    "PDF-INVOICE-NOT-IN-NAMES",
    P,
    E,
    en="The invoice file {detail} is attached only through the associated-files list (/AF), "
    "not in the list of embedded files: most readers, platforms included, will not find it.",
    fr="Le fichier de facture {detail} n'est rattaché que par la liste des fichiers associés "
    "(/AF), pas dans la liste des fichiers intégrés : la plupart des lecteurs, plateformes "
    "comprises, ne le trouveront pas.",
    fix_en="Regenerate the Factur-X PDF: the tool that wrote it left the attachment list damaged.",
    fix_fr="Générez à nouveau le PDF Factur-X : l'outil qui l'a produit a laissé la liste des "
    "pièces jointes abîmée.",
)
rule(
    "PDF-INVOICE-NAME",
    P,
    E,
    en="The invoice XML is attached as {detail}, not under a standard name (factur-x.xml; "
    "xrechnung.xml or zugferd-invoice.xml in German variants): platforms look for that name.",
    fr="Le XML de facture est joint sous le nom {detail}, pas sous un nom standard "
    "(factur-x.xml ; xrechnung.xml ou zugferd-invoice.xml dans les variantes allemandes) : "
    "les plateformes cherchent ce nom.",
    fix_en="Rename the attachment factur-x.xml when generating the PDF.",
    fix_fr="Nommez la pièce jointe factur-x.xml lors de la génération du PDF.",
)
rule(
    "PDF-AF-MISSING",
    P,
    E,
    en="The invoice file is not declared in the document's associated files (catalog /AF){detail}"
    ". Factur-X and PDF/A-3 require this link between the PDF and its XML.",
    fr="Le fichier de facture n'est pas déclaré dans les fichiers associés du document (/AF "
    "du catalogue){detail}. Factur-X et PDF/A-3 exigent ce lien entre le PDF et son XML.",
    fix_en="Regenerate the PDF with a Factur-X tool that declares the attachment as an "
    "associated file.",
    fix_fr="Générez à nouveau le PDF avec un outil Factur-X qui déclare la pièce jointe comme "
    "fichier associé.",
    notes="Mustang leaves this to veraPDF, which only checks generic PDF/A-3 association.",
)
rule(
    "PDF-AFRELATIONSHIP-MISSING",
    P,
    E,
    en="The invoice attachment has no AFRelationship: the PDF does not say whether the XML is "
    "the invoice itself or data about it.",
    fr="La pièce jointe de facture n'a pas d'AFRelationship : le PDF ne dit pas si le XML est "
    "la facture elle-même ou des données la décrivant.",
    fix_en="Regenerate the PDF with a Factur-X tool; it sets AFRelationship to Alternative "
    "(or Data for MINIMUM and BASIC WL).",
    fix_fr="Générez à nouveau le PDF avec un outil Factur-X ; il indique AFRelationship "
    "Alternative (ou Data pour MINIMUM et BASIC WL).",
)
rule(
    "PDF-AFRELATIONSHIP-INVALID",
    P,
    E,
    en="The invoice attachment's AFRelationship is {detail}; Factur-X allows only Data, "
    "Alternative or Source.",
    fr="L'AFRelationship de la pièce jointe de facture vaut {detail} ; Factur-X n'autorise que "
    "Data, Alternative ou Source.",
    fix_en="Regenerate the PDF with a Factur-X tool (Alternative for EN 16931 and EXTENDED).",
    fix_fr="Générez à nouveau le PDF avec un outil Factur-X (Alternative pour EN 16931 et "
    "EXTENDED).",
    notes="veraPDF only checks that the key exists.",
)
rule(
    "PDF-AFRELATIONSHIP-PROFILE",
    P,
    E,
    en="The invoice attachment's AFRelationship is {detail}: with the MINIMUM and BASIC WL "
    "profiles the XML does not hold the whole invoice, so it must be Data.",
    fr="L'AFRelationship de la pièce jointe de facture vaut {detail} : avec les profils "
    "MINIMUM et BASIC WL le XML ne contient pas toute la facture, il doit valoir Data.",
    fix_en="Regenerate the PDF with AFRelationship Data, or better, move to the EN 16931 profile.",
    fix_fr="Générez à nouveau le PDF avec AFRelationship Data, ou mieux, passez au profil "
    "EN 16931.",
)
rule(
    "PDF-ATTACHMENT-NO-MIME",
    P,
    E,
    en="The invoice attachment has no MIME type (/Subtype), which PDF/A-3 requires.",
    fr="La pièce jointe de facture n'a pas de type MIME (/Subtype), que le PDF/A-3 exige.",
    fix_en="Regenerate the PDF with a Factur-X tool; it declares the type text/xml.",
    fix_fr="Générez à nouveau le PDF avec un outil Factur-X ; il déclare le type text/xml.",
)
rule(
    "PDF-ATTACHMENT-MIME",
    P,
    W,
    en="The invoice attachment is declared as {detail}, not as XML (text/xml).",
    fr="La pièce jointe de facture est déclarée comme {detail}, pas comme du XML (text/xml).",
    fix_en="Most platforms find the invoice by its name, but some check the type: regenerate "
    "the PDF with the type text/xml.",
    fix_fr="La plupart des plateformes trouvent la facture par son nom, certaines vérifient le "
    "type : générez à nouveau le PDF avec le type text/xml.",
)
rule(
    "PDF-XML-BOM",
    P,
    W,
    en="The invoice XML starts with a byte-order mark ({detail}). XML allows it, but some "
    "receiving tools refuse it.",
    fr="Le XML de facture commence par une marque d'ordre des octets (BOM, {detail}). Le XML "
    "l'autorise, mais certains outils de réception la refusent.",
    fix_en="If a platform rejects the file, configure your software to write UTF-8 without BOM.",
    fix_fr="Si une plateforme rejette le fichier, réglez votre logiciel pour écrire en UTF-8 "
    "sans BOM.",
)
rule(
    "PDF-XML-ENCODING",
    P,
    E,
    en="The invoice XML's character encoding is wrong: {detail}. Strict readers refuse it.",
    fr="L'encodage des caractères du XML de facture est faux : {detail}. Les lecteurs stricts "
    "le refusent.",
    fix_en='Regenerate the invoice: its first line must declare encoding="UTF-8" and the '
    "file must really be UTF-8.",
    fix_fr="Générez à nouveau la facture : sa première ligne doit déclarer "
    'encoding="UTF-8" et le fichier doit réellement être en UTF-8.',
    notes="When only the declaration is wrong we still read the content, so that the other "
    "stages report what else is wrong.",
)

# -- XMP metadata -------------------------------------------------------------------------------

_FIX_XMP_EN = "Regenerate the PDF with a Factur-X tool: it writes the XMP metadata for you."
_FIX_XMP_FR = (
    "Générez à nouveau le PDF avec un outil Factur-X : il écrit les métadonnées XMP pour vous."
)

rule(
    "PDF-XMP-MISSING",
    P,
    E,
    en="The PDF has no XMP metadata: nothing declares it as PDF/A nor as a Factur-X invoice.",
    fr="Le PDF n'a pas de métadonnées XMP : rien ne le déclare comme PDF/A ni comme facture "
    "Factur-X.",
    fix_en=_FIX_XMP_EN,
    fix_fr=_FIX_XMP_FR,
    mirrors="mustang 17",
    notes="Mustang then stops without reading the XML; we still validate the attached XML.",
)
rule(
    "PDF-XMP-MALFORMED",
    P,
    E,
    en="The PDF's XMP metadata cannot be read: {detail}",
    fr="Les métadonnées XMP du PDF ne peuvent pas être lues : {detail}",
    fix_en=_FIX_XMP_EN,
    fix_fr=_FIX_XMP_FR,
    mirrors="mustang 28",
)
rule(
    "PDF-XMP-NO-FACTURX",
    P,
    E,
    en="The XMP metadata has no Factur-X information (DocumentType, DocumentFileName, Version, "
    "ConformanceLevel): the PDF does not declare itself as an e-invoice.",
    fr="Les métadonnées XMP ne contiennent aucune information Factur-X (DocumentType, "
    "DocumentFileName, Version, ConformanceLevel) : le PDF ne se déclare pas comme facture "
    "électronique.",
    fix_en=_FIX_XMP_EN,
    fix_fr=_FIX_XMP_FR,
    mirrors="mustang 11, 13, 15, 21",
)
rule(
    "PDF-XMP-NAMESPACE",
    P,
    W,
    en="The Factur-X XMP properties use the namespace {detail}, which is not a Factur-X or "
    "ZUGFeRD one: strict readers will not see them.",
    fr="Les propriétés XMP Factur-X utilisent l'espace de noms {detail}, qui n'est ni Factur-X "
    "ni ZUGFeRD : les lecteurs stricts ne les verront pas.",
    fix_en="Use urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0# (any Factur-X tool does).",
    fix_fr="Utilisez urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0# (tout outil "
    "Factur-X le fait).",
)
rule(
    "PDF-XMP-NAMESPACE-MISMATCH",
    P,
    W,
    en="The XMP metadata and the invoice XML are of different generations: {detail}.",
    fr="Les métadonnées XMP et le XML de facture ne sont pas de la même génération : {detail}.",
    fix_en="Regenerate the PDF so that the XMP metadata describes the XML actually attached.",
    fix_fr="Générez à nouveau le PDF pour que les métadonnées XMP décrivent le XML réellement "
    "joint.",
)
rule(
    "PDF-XMP-EXTENSION-SCHEMA",
    P,
    W,
    en="The XMP metadata uses the namespace {detail} without describing it in a PDF/A "
    "extension schema, as PDF/A requires.",
    fr="Les métadonnées XMP utilisent l'espace de noms {detail} sans le décrire dans un schéma "
    "d'extension PDF/A, comme le PDF/A l'exige.",
    fix_en=_FIX_XMP_EN,
    fix_fr=_FIX_XMP_FR,
)
rule(
    "PDF-XMP-DOCTYPE-MISSING",
    P,
    E,
    en="The XMP metadata has no DocumentType.",
    fr="Les métadonnées XMP n'ont pas de DocumentType.",
    fix_en=_FIX_XMP_EN,
    fix_fr=_FIX_XMP_FR,
    mirrors="mustang 13",
)
rule(
    "PDF-XMP-DOCTYPE-INVALID",
    P,
    E,
    en="The XMP DocumentType is {detail}; expected INVOICE (or ORDER, ORDER_RESPONSE, "
    "ORDER_CHANGE for Order-X).",
    fr="Le DocumentType XMP vaut {detail} ; attendu INVOICE (ou ORDER, ORDER_RESPONSE, "
    "ORDER_CHANGE pour Order-X).",
    fix_en=_FIX_XMP_EN,
    fix_fr=_FIX_XMP_FR,
    mirrors="mustang 14",
)
rule(
    "PDF-XMP-DOCTYPE-MISMATCH",
    P,
    E,
    en="The XMP DocumentType does not match the attached XML: {detail}.",
    fr="Le DocumentType XMP ne correspond pas au XML joint : {detail}.",
    fix_en=_FIX_XMP_EN,
    fix_fr=_FIX_XMP_FR,
)
rule(
    "PDF-XMP-FILENAME-MISSING",
    P,
    E,
    en="The XMP metadata has no DocumentFileName (the name of the invoice attachment).",
    fr="Les métadonnées XMP n'ont pas de DocumentFileName (le nom de la pièce jointe de facture).",
    fix_en=_FIX_XMP_EN,
    fix_fr=_FIX_XMP_FR,
    mirrors="mustang 21",
)
rule(
    "PDF-XMP-FILENAME-INVALID",
    P,
    E,
    en="The XMP DocumentFileName is {detail}; expected factur-x.xml (or xrechnung.xml, "
    "zugferd-invoice.xml, order-x.xml).",
    fr="Le DocumentFileName XMP vaut {detail} ; attendu factur-x.xml (ou xrechnung.xml, "
    "zugferd-invoice.xml, order-x.xml).",
    fix_en=_FIX_XMP_EN,
    fix_fr=_FIX_XMP_FR,
    mirrors="mustang 19",
)
rule(
    "PDF-XMP-FILENAME-MISMATCH",
    P,
    E,
    en="The XMP metadata names the invoice file {detail}.",
    fr="Les métadonnées XMP désignent le fichier de facture {detail}.",
    fix_en="Regenerate the PDF so that the XMP DocumentFileName is exactly the name of the "
    "attached invoice XML.",
    fix_fr="Générez à nouveau le PDF pour que le DocumentFileName XMP soit exactement le nom du "
    "XML de facture joint.",
    notes="Mustang checks the value against a list only, not against the attachment.",
)
rule(
    "PDF-XMP-VERSION-MISSING",
    P,
    E,
    en="The XMP metadata has no Version.",
    fr="Les métadonnées XMP n'ont pas de Version.",
    fix_en=_FIX_XMP_EN,
    fix_fr=_FIX_XMP_FR,
    mirrors="mustang 15",
)
rule(
    "PDF-XMP-VERSION-INVALID",
    P,
    E,
    en="The XMP Version is {detail}; Factur-X writes 1.0.",
    fr="La Version XMP vaut {detail} ; Factur-X écrit 1.0.",
    fix_en=_FIX_XMP_EN,
    fix_fr=_FIX_XMP_FR,
    mirrors="mustang 16",
)
rule(
    "PDF-XMP-LEVEL-MISSING",
    P,
    E,
    en="The XMP metadata has no ConformanceLevel (the Factur-X profile).",
    fr="Les métadonnées XMP n'ont pas de ConformanceLevel (le profil Factur-X).",
    fix_en=_FIX_XMP_EN,
    fix_fr=_FIX_XMP_FR,
    mirrors="mustang 11",
)
rule(
    "PDF-XMP-LEVEL-INVALID",
    P,
    E,
    en="The XMP ConformanceLevel is {detail}, which is not a Factur-X profile (MINIMUM, BASIC "
    "WL, BASIC, EN 16931, EXTENDED, XRECHNUNG).",
    fr="Le ConformanceLevel XMP vaut {detail}, qui n'est pas un profil Factur-X (MINIMUM, "
    "BASIC WL, BASIC, EN 16931, EXTENDED, XRECHNUNG).",
    fix_en=_FIX_XMP_EN,
    fix_fr=_FIX_XMP_FR,
    mirrors="mustang 12",
)
rule(
    "PDF-XMP-LEVEL-MISMATCH",
    P,
    E,
    en="The PDF and its XML disagree on the profile: {detail}.",
    fr="Le PDF et son XML ne sont pas d'accord sur le profil : {detail}.",
    fix_en="Regenerate the PDF so that the XMP ConformanceLevel states the profile of the "
    "attached XML; platforms may pick the rules from either.",
    fix_fr="Générez à nouveau le PDF pour que le ConformanceLevel XMP indique le profil du XML "
    "joint ; les plateformes peuvent choisir leurs règles d'après l'un ou l'autre.",
    notes="Mustang checks both values against allow-lists only.",
)
rule(
    "PDF-XMP-LEVEL-IMPRECISE",
    P,
    W,
    en="The XMP ConformanceLevel is {detail}.",
    fr="Le ConformanceLevel XMP vaut {detail}.",
    fix_en="Regenerate the PDF with the ConformanceLevel XRECHNUNG.",
    fix_fr="Générez à nouveau le PDF avec le ConformanceLevel XRECHNUNG.",
)

# -- PDF/A identification -------------------------------------------------------------------------

rule(
    "PDF-PDFA-MISSING",
    P,
    E,
    en="The PDF does not declare itself as PDF/A (no pdfaid in its XMP metadata); Factur-X "
    "requires PDF/A-3.",
    fr="Le PDF ne se déclare pas PDF/A (pas de pdfaid dans ses métadonnées XMP) ; Factur-X "
    "exige le PDF/A-3.",
    fix_en="Export the invoice as PDF/A-3 (an option of most billing and office software), "
    "then attach the XML with a Factur-X tool.",
    fix_fr="Exportez la facture en PDF/A-3 (option de la plupart des logiciels de facturation "
    "et de bureautique), puis joignez le XML avec un outil Factur-X.",
    mirrors="mustang 23",
)
rule(
    "PDF-PDFA-PART",
    P,
    E,
    en="The PDF declares PDF/A-{detail}; Factur-X requires PDF/A-3, the only PDF/A part that "
    "allows an XML attachment.",
    fr="Le PDF se déclare PDF/A-{detail} ; Factur-X exige le PDF/A-3, la seule partie du PDF/A "
    "qui autorise une pièce jointe XML.",
    fix_en="Export the invoice as PDF/A-3, then attach the XML with a Factur-X tool.",
    fix_fr="Exportez la facture en PDF/A-3, puis joignez le XML avec un outil Factur-X.",
    mirrors="mustang 23",
)
rule(
    "PDF-PDFA-PART4",
    P,
    W,
    en="The PDF declares PDF/A-4{detail}. Recent ZUGFeRD versions accept it, but Factur-X and "
    "many validators still expect PDF/A-3.",
    fr="Le PDF se déclare PDF/A-4{detail}. Les versions récentes de ZUGFeRD l'acceptent, mais "
    "Factur-X et de nombreux validateurs attendent encore le PDF/A-3.",
    fix_en="Prefer PDF/A-3 until your platform confirms it accepts PDF/A-4.",
    fix_fr="Préférez le PDF/A-3 tant que votre plateforme ne confirme pas accepter le PDF/A-4.",
    mirrors="mustang 23 (as an error)",
)
rule(
    "PDF-PDFA-CONFORMANCE",
    P,
    W,
    en="The PDF/A conformance level is written {detail}; PDF/A-3 allows A, B or U (upper case).",
    fr="Le niveau de conformité PDF/A est écrit {detail} ; le PDF/A-3 n'autorise que A, B ou U "
    "(en majuscule).",
    fix_en=_FIX_XMP_EN,
    fix_fr=_FIX_XMP_FR,
)
rule(
    "PDF-PDFA-DECLARED",
    P,
    INFO,
    en="The PDF declares PDF/A-{detail}. This declaration was read but NOT verified: "
    "einvoice-gov does not check PDF/A conformance itself (fonts, colours, structure).",
    fr="Le PDF se déclare PDF/A-{detail}. Cette déclaration a été lue mais PAS vérifiée : "
    "einvoice-gov ne contrôle pas la conformité PDF/A elle-même (polices, couleurs, "
    "structure).",
    fix_en="To verify PDF/A, run veraPDF (free) on the file; platforms may do so.",
    fix_fr="Pour vérifier le PDF/A, passez le fichier dans veraPDF (gratuit) ; les plateformes "
    "peuvent le faire.",
)
