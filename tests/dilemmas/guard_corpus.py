"""A corpus for the identifier guard: what it must find and what it must leave.

POSITIVES are sentences as a hurried social worker might write them, each with
one identifier between ⟦ and ⟧; `positive(entry)` gives the text without the
marks and the identifier's span. HARMLESS are texts full of numbers and
capitalised words that identify nobody. `demo_texts()` collects the product's
own demo texts. Used by tests/dilemmas/test_guard_corpus.py and bench/guard.py.
"""

from __future__ import annotations

from django.utils import translation

SE = "se_personal_number"
CO = "se_coordination_number"
CPR = "dk_cpr"
PHONE = "phone"
EMAIL = "email"
NAME = "name"
ADDRESS = "address"
BIRTH = "birth_date_with_digits"

POSITIVES = [
    # Swedish personal identity numbers, written every way people write them.
    (SE, "Mamman har personnummer ⟦851024-1097⟧ enligt journalen."),
    (SE, "Pnr: ⟦8112186302⟧"),
    (SE, "Barnet är fött ⟦19900315-7196⟧ på Akademiska."),
    (SE, "Pappans nummer är ⟦77.01.01-7738⟧."),
    (SE, "Personnummer ⟦77 01 01 7738⟧ står på ansökan."),
    (SE, "Uppgiven identitet ⟦631130\t5392⟧ i blanketten."),
    (SE, "Nummer ⟦950607/9624⟧ enligt Skatteverket."),
    (SE, "Sonen (⟦950607 – 9624⟧) går i sexan."),
    (SE, "Dottern ⟦120704—2779⟧ har fått plats."),
    (SE, "Anmälan gäller ⟦120704\u20112779⟧ och syskonen."),
    (SE, "Hon uppger ⟦19 851024-1097⟧ som sitt nummer."),
    (SE, "Han har ⟦1985-10-24-1097⟧ enligt utdraget."),
    (SE, "Fyll i ⟦1985 10 24 - 1097⟧ i rutan."),
    (SE, "Personnumret ⟦851024-\n1097⟧ bröts på raden."),
    (SE, "Personnumret ⟦851024\n1097⟧ bröts utan bindestreck."),
    (SE, "Pnr ⟦851024   1097⟧ med flera mellanslag."),
    (SE, "Pnr ⟦19851024 1097⟧ med mellanslag."),
    (SE, "Den äldre mannen har ⟦481224+2529⟧ enligt folkbokföringen."),
    (SE, "Pnr ⟦481224 + 2529⟧ med plustecken."),
    (SE, "Nummer ⟦730812.2618⟧ med punkt."),
    (SE, "Nummer ⟦73.08.12.2618⟧ med punkter överallt."),
    (SE, "Nummer ⟦73/08/12-2618⟧ med snedstreck."),
    (SE, "Kvinnans pnr ⟦881231-2984⟧."),
    (SE, "Pnr ⟦560420-7513⟧, se bilaga."),
    (SE, "Se ⟦990909-0749⟧ i akten."),
    (SE, "Pnr ⟦041111-6742⟧; kontrollerat."),
    (SE, "Uppgift: ⟦691002-4600⟧»"),
    (SE, "Personnummer ⟦200010057529⟧ i registret."),
    (SE, "Personnummer ⟦20 001005 - 7529⟧ i registret."),
    (SE, "Född ⟦2000.10.05-7529⟧ enligt uppgift."),
    (SE, "Personnummer ⟦811218 - 6302⟧"),
    (SE, "Mor: ⟦811218\u00a0-\u00a06302⟧"),
    # Swedish co-ordination numbers.
    (CO, "Samordningsnummer ⟦850771-3108⟧ används."),
    (CO, "Sam.nr ⟦920383 4776⟧ i beslutet."),
    (CO, "Nummer ⟦01.01.62-7008⟧ enligt Migrationsverket."),
    (CO, "Han har ⟦19770891-8938⟧ som samordningsnummer."),
    (CO, "Samordningsnummer ⟦660785\n4061⟧ på två rader."),
    # Danish CPR numbers.
    (CPR, "Borgerens CPR-nummer er ⟦241085-1234⟧."),
    (CPR, "CPR ⟦2410851234⟧ fremgår af sagen."),
    (CPR, "CPR-nr. ⟦24.10.85-1234⟧ i journalen."),
    (CPR, "CPR-nr. ⟦24 10 85 1234⟧ i ansøgningen."),
    (CPR, "Cpr: ⟦24-10-85-1234⟧"),
    (CPR, "Født ⟦010203-4321⟧ ifølge skolen."),
    (CPR, "CPR ⟦150675 – 2468⟧ i brevet."),
    (CPR, "CPR ⟦311299/3012⟧ står på blanketten."),
    (CPR, "Barnets CPR ⟦070712-5550⟧."),
    (CPR, "CPR-nr: ⟦290200-4123⟧ (skudår)."),
    (CPR, "CPR ⟦121248\t0977⟧ med tabulator."),
    (CPR, "CPR ⟦050505 -\n6543⟧ over to linjer."),
    (CPR, "CPR ⟦18.08.90 1122⟧ uden bindestreg."),
    (CPR, "Moren har CPR ⟦300463‑1357⟧."),
    (CPR, "CPR ⟦010107-4001⟧ uden modulus 11."),
    # A date of birth written out and the last four digits: the number in words.
    (BIRTH, "Mannen är född ⟦3 mars 1985, sista fyra 1234⟧ enligt honom."),
    (BIRTH, "Född ⟦den 3 mars 1985, de fyra sista siffrorna 1234⟧."),
    (BIRTH, "Hon är född ⟦1985-03-03, sista fyra: 1234⟧."),
    (BIRTH, "Borgeren er født ⟦3. marts 1985, sidste fire 1234⟧."),
    (BIRTH, "Født ⟦den 3. marts 1985 – de sidste fire cifre er 1234⟧."),
    (BIRTH, "Født ⟦03.03.85, sidste fire: 1234⟧."),
    (BIRTH, "Born ⟦3 March 1985, last four 1234⟧."),
    (BIRTH, "Date of birth ⟦March 3, 1985; last four digits 1234⟧."),
    # Swedish phone numbers.
    (PHONE, "Ring henne på ⟦070-123 45 67⟧ efter lunch."),
    (PHONE, "Mobil ⟦070 123 45 67⟧."),
    (PHONE, "Numret är ⟦0701234567⟧."),
    (PHONE, "Ring ⟦070.123.45.67⟧ i morgon."),
    (PHONE, "Ring ⟦070/123 45 67⟧ i morgon."),
    (PHONE, "Ring ⟦070 - 123 45 67⟧ i morgon."),
    (PHONE, "Ring ⟦070-\n123 45 67⟧ i morgon."),
    (PHONE, "Ring ⟦070-123-45-67⟧ i morgon."),
    (PHONE, "Växeln ⟦08-123 456 78⟧ svarar."),
    (PHONE, "Hem: ⟦(08) 123 456 78⟧"),
    (PHONE, "Hem: ⟦( 08 ) 123 45 67⟧"),
    (PHONE, "Ring ⟦08/123 456 78⟧."),
    (PHONE, "Ring ⟦08.123.456.78⟧."),
    (PHONE, "Ring ⟦08-12 34 56⟧ på kvällen."),
    (PHONE, "Ring ⟦013-12 34 56⟧ på kvällen."),
    (PHONE, "Ring ⟦0771-123 456⟧ på kvällen."),
    (PHONE, "Ring ⟦031-123 45 67⟧ på kvällen."),
    (PHONE, "Ring ⟦0498.12.34.56⟧ på kvällen."),
    (PHONE, "Ring ⟦+46 70 123 45 67⟧ på kvällen."),
    (PHONE, "Ring ⟦+46701234567⟧."),
    (PHONE, "Ring ⟦+46 (0)70-123 45 67⟧."),
    (PHONE, "Ring ⟦(+46) 70 123 45 67⟧."),
    (PHONE, "Ring ⟦(+46)8-123 456 78⟧."),
    (PHONE, "Ring ⟦0046 70 123 45 67⟧."),
    (PHONE, "Ring ⟦+46 070-123 45 67⟧."),
    (PHONE, "Ring ⟦+46 70.123.45.67⟧."),
    (PHONE, "Ring ⟦+46 70\n123 45 67⟧."),
    (PHONE, "Ring ⟦+ 46 8 123 456 78⟧."),
    # Danish phone numbers.
    (PHONE, "Ring til ⟦+45 23 45 67 89⟧ om aftenen."),
    (PHONE, "Ring til ⟦+4523456789⟧."),
    (PHONE, "Ring til ⟦0045 23 45 67 89⟧."),
    (PHONE, "Ring til ⟦(+45) 23 45 67 89⟧."),
    (PHONE, "Ring til ⟦+45 23.45.67.89⟧."),
    (PHONE, "Ring til ⟦+45 2345 6789⟧."),
    (PHONE, "Ring til ⟦23 45 67 89⟧ om aftenen."),
    (PHONE, "Ring til ⟦23-45-67-89⟧ om aftenen."),
    (PHONE, "Ring til ⟦23.45.67.89⟧ om aftenen."),
    (PHONE, "Ring til ⟦23/45/67/89⟧ om aftenen."),
    (PHONE, "Ring til ⟦23 45\n67 89⟧ om aftenen."),
    (PHONE, "Ring til ⟦98  76  54  32⟧ med dobbelte mellemrum."),
    (PHONE, "Moren: ⟦40 11 22 33⟧."),
    (PHONE, "tlf. ⟦23456789⟧"),
    (PHONE, "Tlf.: ⟦2345 6789⟧"),
    (PHONE, "mobil ⟦23 45 67 89⟧"),
    (PHONE, "telefon ⟦2345-6789⟧"),
    (PHONE, "Mob. ⟦88 77 66 55⟧"),
    (PHONE, "Tlf. nr. ⟦12345678⟧"),
    # Two groups of four, alone on their line or after a word about calling.
    (PHONE, "⟦4512 3456⟧"),
    (PHONE, "tlf. ⟦2345 6789⟧"),
    (PHONE, "Kontakt til moren:\n⟦4512 3456⟧\nefter kl. 16."),
    (PHONE, "Ring til ⟦2345 6789⟧ i morgen."),
    (PHONE, "Ring på ⟦4512 3456⟧ efter lunch."),
    (PHONE, "Han kan træffes på ⟦8765 4321⟧."),
    (PHONE, "Hon nås på ⟦4512 3456⟧ på dagtid."),
    (PHONE, "Send en sms til ⟦2345 6789⟧."),
    # E-mail addresses, also written around spam filters.
    (EMAIL, "Skriv till ⟦anna.berg@norrby.se⟧."),
    (EMAIL, "Skriv till ⟦anna @ norrby.se⟧."),
    (EMAIL, "Skriv till ⟦anna@ norrby.se⟧."),
    (EMAIL, "Skriv till ⟦anna(at)norrby.se⟧."),
    (EMAIL, "Skriv till ⟦anna [at] norrby [dot] se⟧."),
    (EMAIL, "Skriv till ⟦anna at norrby dot se⟧."),
    (EMAIL, "Skriv till ⟦anna.berg at norrby.se⟧."),
    (EMAIL, "Skriv till ⟦anna (at) norrby (dot) se⟧."),
    (EMAIL, "Skriv til ⟦mette.s[at]vestby.dk⟧."),
    (EMAIL, "Skriv til ⟦j_holm at kommune dot dk⟧."),
    (EMAIL, "Skriv till ⟦ANNA AT NORRBY DOT SE⟧."),
    (EMAIL, "Skriv till ⟦anna{at}norrby{dot}se⟧."),
    (EMAIL, "Skriv till ⟦anna<at>norrby.se⟧."),
    (EMAIL, "Skriv til ⟦kim (at) mail (punktum) dk⟧."),
    (EMAIL, "Mejla ⟦åsa-öberg@kommun.dk⟧."),
    # Personal names: a first name and a surname, or a name after a title.
    (NAME, "⟦Anna Johansson⟧ ringde i morse."),
    (NAME, "Mamma ⟦Anna⟧ vill inte att vi kontaktar skolan."),
    (NAME, "Vi träffade mamma ⟦Anna⟧ i förrgår."),
    (NAME, "Borgeren ⟦Mette⟧ vil ikke tage imod hjælp."),
    (NAME, "Vi talte med fru ⟦Jensen⟧ i telefonen."),
    (NAME, "Vi har skrevet til hr. ⟦Hansen⟧."),
    (NAME, "Kontaktperson ⟦Mette Sørensen⟧ var med."),
    (NAME, "Mötet gällde ⟦Lars Nilsson⟧ och hans bror."),
    (NAME, "Enligt ⟦Erik Karlsson⟧ är allt lugnt."),
    (NAME, "Hon har sonen ⟦Oskar⟧ varannan vecka."),
    (NAME, "Vi har talt med datteren ⟦Freja⟧."),
    (NAME, "Flickan heter ⟦Anna Maria Berg⟧ och är nio år."),
    (NAME, "Det var ⟦Karin Lindqvists⟧ idé."),
    (NAME, "Sökanden ⟦Per-Olof Svensson⟧ har överklagat."),
    (NAME, "Vi ringede til ⟦Jens Peter Nielsen⟧."),
    (NAME, "Det gäller pappan, ⟦Mikael⟧, som bor kvar."),
    (NAME, "Tovholder var ⟦Hanne Kjær⟧."),
    (NAME, "Borgeren ⟦Jensen⟧ er flyttet."),
    (NAME, "Klienten ⟦Sara⟧ kom inte."),
    (NAME, "Patienten ⟦Jonas Lund⟧ skrivs ut i dag."),
    (NAME, "Mormor ⟦Birgitta⟧ hämtar barnen."),
    (NAME, "Handläggare var ⟦Sara Lindqvist⟧."),
    (NAME, "Beslutet fattades av ⟦Emma Nyström⟧."),
    (NAME, "Sagen blev overdraget til ⟦Søren Kristensen⟧."),
    (NAME, "Enligt ⟦Maria Bäckström⟧ på skolan är det lugnt."),
    (NAME, "⟦Johan Ekdahl⟧ är god man."),
    (NAME, "⟦Lene Østergaard⟧ er bisidder."),
    (NAME, "Familjen ⟦Andersson⟧ har flyttat."),
    (NAME, "Vi har haft møde med familien ⟦Pedersen⟧."),
    (NAME, "Dottern ⟦Ulla-Britt Holm⟧ är anhörig."),
    (NAME, "⟦ANNA JOHANSSON⟧ står på kuvertet."),
    (NAME, "Beboeren ⟦Ole⟧ har fået ny medicin."),
    (NAME, "Grannen ⟦Bengt⟧ ringde polisen."),
    (NAME, "Pojken ⟦Elias⟧ vill bo hos pappa."),
    (NAME, "Drengen ⟦Noah⟧ går i 3. klasse."),
    (NAME, "Vi talte med ⟦Jens'⟧ mor."),
    (NAME, "⟦Annas⟧ mamma ringde i går."),
    (NAME, "Vi har talt med ⟦Mettes⟧ datter."),
    (NAME, "Dr. ⟦Berg⟧ har skrivit intyget."),
    (NAME, "Brukaren ⟦Hassan⟧ vill byta boende."),
    # Street addresses, with the postcode and town that follow them.
    (ADDRESS, "Familjen bor på ⟦Björkvägen 7⟧ sedan i våras."),
    (ADDRESS, "Han bor på ⟦Storgatan 12 B⟧ i en etta."),
    (ADDRESS, "Adress: ⟦Storgatan 12, 123 45 Älvdala⟧"),
    (ADDRESS, "Hun bor på ⟦Nørregade 4, 2. th.⟧ med sin søn."),
    (ADDRESS, "Ny adresse: ⟦Skolevej 3, 8000 Aarhus C⟧"),
    (ADDRESS, "Han er flyttet til ⟦Niels Juels Gade 10⟧."),
    (ADDRESS, "De bor på ⟦Karl Johans väg 4⟧."),
    (ADDRESS, "Hun bor på ⟦Frederiksberg Allé 5⟧."),
    (ADDRESS, "Lägenheten på ⟦Östra Storgatan 3⟧ är liten."),
    (ADDRESS, "Hon bor på ⟦Kungsgatan 5, lgh 1102⟧."),
    (ADDRESS, "Ny adress:\n⟦Lindvägen 3\n123 45 Älvdala⟧"),
    (ADDRESS, "Familien bor på ⟦Egevænget 12⟧."),
    (ADDRESS, "Hun bor i en lejlighed på ⟦Gammeltorv 8⟧."),
    (ADDRESS, "Han bor på ⟦Solbakken 14⟧ med sin kæreste."),
    (ADDRESS, "De bor på ⟦Ringgatan 5-7⟧ i två lägenheter."),
    (ADDRESS, "Pojken bor hos mormor på ⟦Åsgränd 2⟧."),
    (ADDRESS, "Hun bor på ⟦Skolevej 3, 8000 Aarhus⟧ med sin søn."),
    (ADDRESS, "Ny adress: ⟦Järntorget 4, 412 63 Göteborg⟧."),
    (ADDRESS, "Hon bor vid ⟦Lilla torg 3⟧."),
]

HARMLESS = {
    "dates": [
        "Mötet 2024-03-01 kl. 13.00-15.30.",
        "Mødet 01-03-2024 og 08-12-2024.",
        "Beslutet 20240301 gäller från och med i dag.",
        "Beslut fattat 08.12.2024, verkställt 08/12/2024.",
        "Placeringen pågick 2024-03-01 – 2024-03-15.",
        "Uppföljning 2024-10-01 - 2024-10-24 enligt plan.",
        "Hembesök den 3.4.2024 och den 17.4.2024.",
        "Mødet den 1. januar 2024 blev aflyst.",
        "Perioden 2019–2023 och vecka 12.",
        "Ansökan inkom 2023-11-30 och avslogs 2024-01-15.",
        "Sidst opdateret 24.10.2025.",
    ],
    "times": [
        "Mødetider: 08 10 12 14",
        "Mødetider: 20 21 22 23",
        "Mødet kl. 20.00-22.30 i salen.",
        "Besökstid kl. 08.30-12.00 och 13.00-15.30.",
        "Passen börjar 08.00 10.00 12.00 och 14.00.",
        "Vi ses 13:00–15:30 i rummet.",
        "Öppet 08-17, kod 0123 456.",
        "Samtalet varade mellan 9 och 16, med paus 12.15.",
        "Natten 22.00-06.00 är bemannad.",
        "Kl 0830 börjar dagpasset.",
    ],
    "case numbers": [
        "Se prop. 2016/17:180 och dnr 2024/0123.",
        "Dnr SN 2023.145 och SN 2024/123.",
        "J.nr. 24-123456 vedrører sagen.",
        "Sagsnr. 2024-12345 er oprettet.",
        "Ärende 2023-0456 är avslutat.",
        "Diarienummer 2024/1234-5 i kommunens system.",
        "Journalnr. 12-345/24 er lukket.",
        "Akt 2024:17 och beslut 2024:18.",
        "Vårt dnr 1.2.3-2024/56 i skrivelsen.",
        "Ärendet registrerades som IFO 2024-000123.",
    ],
    "organisation numbers": [
        "Bolaget (556036-0793) har avtal med kommunen.",
        "Org.nr 212000-1355 för kommunen.",
        "Stiftelsen, org.nr 802002-4280, driver boendet.",
        "Leverantören har org.nr 5560360793.",
        "CVR-nr. 29189404 står på fakturaen.",
        "CVR 29 18 94 04 står på fakturaen.",
        "Bankgiro 5050-1055 och plusgiro 90 01 22-5.",
        "ISBN 978-91-7555-123-4 för metodboken.",
        "IBAN SE45 5000 0000 0583 9825 7466 för återbetalning.",
    ],
    "amounts": [
        "Bidraget var 12 000 kr, sedan 1 250 000 kr.",
        "Ydelsen er kr. 12.500 om måneden.",
        "Beløbet var 2.345,50 kr i alt.",
        "Huslejen er DKK 23 450 om kvartalet.",
        "Försörjningsstöd SEK 12 345 för mars.",
        "Avgiften är 850 kr/mån och 4 500,00 kr per år.",
        "Skulden uppgår till 123 456 kr.",
        "Budgeten för 2025 är 12 345 000 kr.",
        "Han fik 14 250 kr i kontanthjælp og 3 100 kr i boligstøtte.",
    ],
    "scores": [
        "SDQ-poäng 12 14 17 19 vid de fyra mätningarna.",
        "SDQ-poäng 22 24 27 29 vid de fyra mätningarna.",
        "AUDIT-score 23 25 28 30 over et år.",
        "ASI 3 4 2 1 och GAF 45.",
        "Resultat: 8/10, 7/10 och 9/10.",
        "Skalan går från 0 till 100; hon fick 62.",
        "Poängen var 12, 14 och 17.",
        "Han scorede 18 ud af 20 på testen.",
    ],
    "law references": [
        "Enligt SFS 2001:453 och 1 kap. 1 § SoL.",
        "Anmälan enligt 14 kap. 1 § SoL.",
        "Efter servicelovens § 85 og § 153.",
        "LBK nr 1287 af 28/08/2020 om social service.",
        "Lov nr. 1705 af 21.12.2010 blev ændret.",
        "SOSFS 2014:5 och HSLF-FS 2022:39 gäller.",
        "Beslut enligt 2 § LVU och 4 § LVM.",
        "Efter § 52, stk. 3, nr. 1 i serviceloven.",
        "BEK nr 1089 af 20/06/2022.",
        "Art. 9.2 i förordning (EU) 2016/679.",
        "En lex Sarah-anmälan och en lex Maria-anmälan gjordes.",
    ],
    "addresses of offices": [
        "Socialkontoret, Storgatan 12, 123 45 Älvdala.",
        "Besöksadress: Kungsgatan 5, Älvdala.",
        "Jobcentret ligger på Nørregade 12.",
        "Mødet holdes i kommunens lokaler på Skolevej 3.",
        "Vårdcentralen på Lindvägen 2 har öppet i dag.",
        "Borgerservice, Rådhuspladsen 1, 1550 København V.",
        "Försäkringskassan, Kungsgatan 3, har telefontid.",
        "Familjecentralen, Björkvägen 4, har öppen förskola.",
        "Polisstationen på Storgatan 20 tar emot anmälningar.",
        "Socialförvaltningen\nStorgatan 12\n123 45 Älvdala",
        "Mötesplatsen på Ringgatan 5 har öppet på tisdagar.",
        "Værestedet på Havnegade 3 holder åbent hver dag.",
    ],
    "names that are not people": [
        "Flickan har remitterats till Astrid Lindgrens barnsjukhus.",
        "Han var indlagt på Sankt Hans Hospital i to uger.",
        "Per telefon har vi fått veta att han mår bättre.",
        "Bo i egen lägenhet var hans stora önskan.",
        "Hans mamma vill inte att han flyttar.",
        "Remiss till Karolinska och till Sahlgrenska.",
        "Eva och jag är kontaktpersoner.",
        "Hela vägen 3 km gick han till fots.",
        "Botilbuddet Engen og Værestedet Havnen samarbejder.",
        "Mötet hölls i Rum Eken, plan 2.",
        "Vårdplan 2 och Genomförandeplan 3 är klara.",
        "Vi läste Per Anger-priset och Astrid Lindgren-priset.",
    ],
    # A postcode is shared by thousands: without a street it identifies nobody.
    "postcodes and towns": [
        "Hon har flyttat till 123 45 Älvdala.",
        "Postadress SE-123 45 Älvdala enligt brevet.",
        "Han bor nu i DK-2100 København Ø.",
        "Han bor nu i 2100 København Ø.",
        "8000 Aarhus",
        "412 63 Göteborg",
        "Familjen kommer från 412 63 Göteborg men bor nu i Älvdala.",
        "Hun er flyttet til 8000 Aarhus C for at studere.",
    ],
    "four digits twice": [
        "2019 2023",
        "Hun er født i marts 1985, og de sidste fire år har hun boet alene.",
        "Født 3. marts 1985; de sidste fire år 2019-2023 boede hun i Aarhus.",
        "Han fyllde 40 den 3 mars 2025 och de fyra sista åren har varit svåra.",
        "Sagsnr. 2024 1234 er oprettet.",
        "Beløbet 2500 kr. og 3000 kr. blev udbetalt.",
    ],
    "other numbers": [
        "Ring 112 eller 1177.",
        "Rum 08 med 12 platser.",
        "Version 0.12.345 av blanketten.",
        "Sidorna 12-34 och 56-78.",
        "Blankett 013-12 34.",
        "Barnen är 4, 7 och 12 år.",
        "Han är 85 år och född 1939.",
        "Boendet har 24 platser fördelade på 3 våningar.",
        "Mødelokale 2 på 3. sal.",
        "Bussen 12 går var 15:e minut.",
        "Tabell 3 visar 120 45-åringar.",
    ],
}

HARMLESS_TEXTS = [text for texts in HARMLESS.values() for text in texts]


def positive(entry: tuple[str, str]) -> tuple[str, str, tuple[int, int]]:
    """The text without its marks, the kind, and where the identifier is."""
    kind, marked = entry
    start = marked.index("⟦")
    end = marked.index("⟧") - 1
    return marked.replace("⟦", "").replace("⟧", ""), kind, (start, end)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return [text for item in value for text in _strings(item)]
    return []


def demo_texts() -> list[str]:
    """Every text the demo data and the seeded methods put in front of people.

    The demo people's own names are left out: they are names by design.
    """
    from dilemmas.models import COMMON_TENSIONS
    from meetings.demo import PLACES, TITLES
    from organisations.management.demo_data import ORGANISATIONS
    from reflections.builtin import METHODS
    from reflections.demo import CASES
    from values.management.demo_content import VALUE_BASES

    texts = _strings(VALUE_BASES) + _strings(CASES)
    texts += _strings(TITLES) + _strings(PLACES)
    for org in ORGANISATIONS:
        texts += [org["name"]]
        texts += _strings([org["units"], org["audiences"], org["groups"]])
    for language in ("sv", "da", "en"):
        with translation.override(language):
            for method in METHODS:
                texts += [str(method["name"]), str(method["description"])]
                texts += [str(s) for step in method["steps"] for s in step[:2]]
            texts += [str(title) for _key, title in COMMON_TENSIONS]
    return [text for text in texts if text.strip()]
