"""Ordinary Swedish and Danish prose of the kind case texts are made of.

Written for the identifier guard's false-alarm measurement before the name and
address rules existed, and not edited to suit them afterwards. Nothing here is
an identifier, a person's full name or a home address (a colleague's first
name alone is not what the guard looks for), so every finding in it is a false
alarm. Used by tests/dilemmas/test_guard_corpus.py and bench/guard.py.
"""

from __future__ import annotations

SWEDISH = [
    "En äldre man med hemtjänst säger nej till dusch sedan flera veckor. Huden "
    "har börjat ta skada och dottern ringer oroad till enheten. Personalen vill "
    "respektera hans nej men är rädda för att han far illa.",
    "Mamman har berättat att hon inte orkar med morgnarna. Pappan arbetar natt "
    "och sover när barnen ska till skolan. Socialsekreteraren har föreslagit "
    "stöd i hemmet två morgnar i veckan, men familjen tackar nej.",
    "Under hembesöket i november var lägenheten städad och barnen glada. Vid "
    "nästa besök, tre veckor senare, var det annorlunda: kylskåpet var tomt och "
    "den äldsta pojken hade inte varit i skolan på en vecka.",
    "Ska vi berätta för mamman vad sonen har sagt till oss i förtroende, eller "
    "ska vi vänta tills han själv är redo? Han är femton år och har bett oss "
    "att inte säga något.",
    "Brukaren har en god man sedan 2019. Den gode mannen och brukaren är oense "
    "om hur pengarna ska användas, och brukaren vill byta god man. Vi har "
    "hänvisat till överförmyndaren.",
    "Vid ärendedragningen på tisdagen kom vi fram till att vi behöver mer "
    "underlag innan beslut. Handläggaren kontaktar skolan och BUP och återkommer "
    "till gruppen den 14 mars.",
    "Kvinnan har bott på boendet i fyra år. Hon vill flytta tillbaka till sin "
    "hemort i Norrland, där hennes syster bor. Personalen tvekar eftersom hon "
    "har svårt att klara sig själv på kvällarna.",
    "Per telefon har vi fått veta att pojken har slutat ta sin medicin. Bo i "
    "egen lägenhet var hans stora önskan, och nu är han rädd att förlora den "
    "om någon får veta.",
    "Eva och jag, som båda är kontaktpersoner, har olika syn på saken. Jag "
    "tycker att vi ska respektera hans val; hon menar att vi har ett ansvar "
    "att ingripa innan det går för långt.",
    "Enligt 14 kap. 1 § SoL ska den som arbetar inom socialtjänsten genast "
    "anmäla om ett barn kan behöva skydd. Vi har diskuterat var gränsen går "
    "och om oron i det här fallet är tillräcklig.",
    "En lex Sarah-utredning inleddes efter händelsen i maj. Utredningen visade "
    "brister i rutinerna för överlämning mellan dag och kväll, men ingen enskild "
    "medarbetare pekades ut.",
    "Flickan har remitterats till Astrid Lindgrens barnsjukhus för utredning. "
    "Föräldrarna är positiva, men flickan själv vill inte åka dit igen efter "
    "förra gången.",
    "Den unge mannen har varit placerad på HVB-hem sedan i våras. Han vill "
    "komma hem till jul, och mamman vill gärna ha honom hemma, men behandlarna "
    "tror att det är för tidigt.",
    "Grannarna har hört bråk från lägenheten flera kvällar i rad. En av dem "
    "ringde till socialtjänsten och ville vara anonym. Vi vet inte hur mycket "
    "vi kan berätta för familjen om vem som har ringt.",
    "Mötet hölls i Rum Eken, plan 2, klockan 13.00–14.30. Närvarande var fem "
    "medarbetare och samtalsledaren. Nästa möte är den 3 april.",
    "Barnet bor växelvis hos föräldrarna. Vid överlämningarna uppstår ofta "
    "konflikter, och förskolan har uttryckt oro över att barnet blir ledset "
    "och tyst efteråt.",
    "Den äldre kvinnan vill inte ha hjälp med maten, men hon har gått ner sju "
    "kilo sedan i somras. Sjuksköterskan har föreslagit näringsdryck, som hon "
    "också tackar nej till.",
    "Vi frågade oss: vems bästa är det vi försöker skydda? Barnets, förälderns "
    "eller vårt eget behov av att ha gjort något? Gruppen landade i att barnets "
    "röst måste höras först.",
    "Försäkringskassan har avslagit ansökan om sjukersättning. Mannen har inga "
    "andra inkomster och ansöker nu om ekonomiskt bistånd. Han skäms och vill "
    "inte att hans vuxna barn ska få veta.",
    "Tolken kunde inte komma, så samtalet fick flyttas. Vi diskuterade om det "
    "hade varit rätt att låta den äldsta dottern tolka i stället, och kom fram "
    "till att det inte hade varit det.",
]

DANISH = [
    "En ældre mand med hjemmepleje har i flere uger sagt nej til bad. Huden er "
    "begyndt at tage skade, og datteren ringer bekymret. Personalet vil gerne "
    "respektere hans nej, men frygter at han tager skade.",
    "Borgeren bor i egen bolig med bostøtte to gange om ugen. Hun har fortalt "
    "kontaktpersonen, at hun ikke længere tager sin medicin, og beder om, at "
    "det bliver mellem dem.",
    "Moren har svært ved at komme op om morgenen, og faren arbejder på "
    "skiftehold. Sagsbehandleren har foreslået en familiebehandler, men "
    "familien siger nej tak.",
    "Skal vi fortælle forældrene, hvad sønnen har betroet os, eller skal vi "
    "vente, til han selv er klar? Han er seksten år og har bedt os om ikke at "
    "sige noget.",
    "Beboeren på Botilbuddet Engen vil gerne have besøg af sin kæreste om "
    "natten. Flere af de andre beboere føler sig utrygge, og personalet er "
    "uenige om, hvad der er rimeligt.",
    "Ved personalemødet tirsdag blev vi enige om at indhente flere oplysninger "
    "fra skolen og fra egen læge, før vi træffer en afgørelse. Vi tager sagen "
    "op igen den 14. marts.",
    "Efter servicelovens § 85 kan kommunen yde socialpædagogisk støtte. "
    "Spørgsmålet er, hvor meget vi må presse på, når borgeren selv siger, at "
    "han klarer sig fint.",
    "Den unge kvinde har været indlagt på Psykiatrisk Center flere gange i år. "
    "Hun ønsker at flytte i egen lejlighed, men bostøtten er i tvivl om, om det "
    "er det rette tidspunkt.",
    "Naboerne har klaget over larm fra lejligheden. En af dem ringede til "
    "kommunen og ønskede at være anonym. Vi ved ikke, hvor meget vi kan sige "
    "til borgeren om, hvem der har henvendt sig.",
    "Mødet blev holdt i mødelokale 2 kl. 13.00-14.30. Der var fem medarbejdere "
    "og en tovholder til stede. Næste møde er den 3. april.",
    "Barnet bor skiftevis hos begge forældre. Ved afleveringerne opstår der "
    "ofte konflikter, og børnehaven har givet udtryk for bekymring over, at "
    "barnet bliver stille og ked af det.",
    "Den ældre dame vil ikke have hjælp til maden, men hun har tabt syv kilo "
    "siden sommer. Sygeplejersken har foreslået proteindrik, som hun også "
    "takker nej til.",
    "Vi spurgte os selv: hvis bedste er det, vi forsøger at beskytte? Barnets, "
    "forælderens eller vores eget behov for at have gjort noget? Gruppen endte "
    "med, at barnets stemme skal høres først.",
    "Jobcentret har afvist ansøgningen om fleksjob. Manden har ingen andre "
    "indtægter og søger nu om kontanthjælp. Han skammer sig og vil ikke have, "
    "at hans voksne børn får det at vide.",
    "Tolken kunne ikke komme, så samtalen blev flyttet. Vi drøftede, om det "
    "havde været rigtigt at lade den ældste datter tolke, og kom frem til, at "
    "det ikke havde været det.",
    "På værestedet Havnen kommer mange af de samme borgere hver dag. En af dem "
    "har fortalt, at han sover i sin bil. Han vil ikke have hjælp fra kommunen, "
    "men spørger om han må lade sin telefon op.",
    "Hanne og jeg, der begge er kontaktpersoner, ser forskelligt på det. Jeg "
    "mener, vi skal respektere hans valg; hun mener, at vi har et ansvar for at "
    "gribe ind, før det går for vidt.",
    "Der blev lavet en underretning efter servicelovens § 153. Forældrene blev "
    "orienteret samme dag, og mødet med familien blev holdt i Rådhuset ugen "
    "efter.",
    "Efter sommerferien vil vi prøve en ny form for refleksion, hvor vi bruger "
    "dilemmametoden i ti trin. Mette har lovet at tage materialet med til "
    "næste møde.",
    "Den ældre mand har boet på plejecentret i to år. Hans søn besøger ham hver "
    "søndag og vil gerne have, at personalet sørger for, at han får en øl til "
    "maden, selv om lægen har frarådet det.",
]

PROSE = SWEDISH + DANISH
