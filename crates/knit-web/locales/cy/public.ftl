# Tudalennau cyhoeddus Knit, yn Gymraeg. Mae gan bob neges yma efaill Saesneg yn
# ../en/public.ftl (mae prawf yn methu fel arall). Nid yw cynnwys gwasanaethau o'r
# cyfeiriadur yn cael ei gyfieithu yma: mae'n cadw ei iaith ei hun.
# Drafted by the developers; to be reviewed by a Welsh speaker before a Welsh launch.

## Y cynllun

skip-to-content = Neidio i'r prif gynnwys
exit-page = Gadael y dudalen hon
exit-hint = Gadael yn gyflym: mae hwn yn agor tudalen tywydd.
language-switch-label = Darllen y dudalen hon yn
footer-lists-help = Mae { $site } yn rhestru help lleol. Os ydych chi mewn perygl nawr, ffoniwch 999. Os oes angen i chi siarad, mae'r Samariaid yn ateb ddydd a nos ar 116 123, am ddim.
footer-privacy = Nid yw'r wefan hon yn anfon dim at neb arall. Nid yw'n gosod cwcis, ac eithrio un sy'n cofio'ch iaith os byddwch yn ei dewis, nes i chi gau'r porwr.

## Geiriau a rennir

there-is-a-problem = Mae problem
back-to-directory = Yn ôl i'r cyfeiriadur
go-home = Mynd i'r hafan
page-not-found = Heb ddod o hyd i'r dudalen
something-went-wrong = Mae'n ddrwg gennym, aeth rhywbeth o'i le
something-went-wrong-text = Aeth rhywbeth o'i le ar ein hochr ni; rhowch gynnig arall arni ymhen munud.
no-such-page = Ni allem ddod o hyd i'r dudalen honno.
free = Am ddim
next-open = Ar agor nesaf: { $when }
search-button = Chwilio
what-do-you-need = Gyda beth mae angen help arnoch chi?
postcode-or-town = Cod post neu dref (dewisol)
in-danger-call-999 = Os ydych chi mewn perygl nawr, ffoniwch 999.
too-many-sends = Rydych chi wedi anfon y ffurflen hon sawl gwaith yn yr awr ddiwethaf. Er mwyn iddi weithio i bawb, rhowch gynnig arall arni yn nes ymlaen, neu ffoniwch y rhif ar ein hafan.

## Hafan

home-title = Dod o hyd i help lleol
home-heading = Dod o hyd i help yn agos atoch chi
home-lead = Chwilio { $count } o wasanaethau, grwpiau a llinellau cymorth lleol yn { $area }.
home-search-hint = Er enghraifft: bwyd, dyled, teimlo'n unig, rhywle i aros
home-not-sure = Ddim yn siŵr beth i chwilio amdano?
home-tell-us-link = Dywedwch wrthym beth sy'n digwydd yn eich geiriau eich hun
home-tell-us-rest = a byddwn yn awgrymu help.
home-call-back-or = Neu
home-call-back-link = gofynnwch i ni eich ffonio'n ôl
home-call-back-rest = : gall cydlynydd siarad am y peth gyda chi, am ddim. Gall gweithwyr proffesiynol
home-refer-link = atgyfeirio rhywun
home-help-heading = Rhowch help llaw, neu ymunwch
home-help-volunteer-link = Gwirfoddolwch
home-help-volunteer-rest = gyda grŵp lleol: rolau am ychydig oriau'r mis, rhai i rywun newydd neu rywun sy'n dod yn ôl ar ei draed.
home-help-connector-rest = : hyfforddiant byr, yna helpu cymdogion i ddod o hyd i'r hyn sydd o'u cwmpas.
home-help-whats-on-link = Beth sy'n digwydd
home-help-whats-on-rest = yr wythnos hon mewn hybiau a grwpiau cymunedol yn agos atoch chi.
home-browse = Pori yn ôl angen

## Canlyniadau

results-title = Canlyniadau chwilio
results-for-words = ar gyfer “{ $words }”
results-for-need = ar gyfer { $need }
results-near-place = yn agos at { $place }
results-problem = Mae problem gyda'ch chwiliad
distance-under-tenth = Llai na 0.1 milltir i ffwrdd
distance-miles = { $miles } milltir i ffwrdd
why-mentions = yn sôn am { $words }
why-helps-with = yn helpu gyda { $need }
search-unreadable-address = Mae gan y cyfeiriad nodau na allwn eu darllen. Teipiwch eich chwiliad eto.
results-picked-up = Fe wnaethom sylwi ar:
results-filters = Hidlo'r canlyniadau
results-age = Oed
results-age-hint = Oed y person sydd angen help
results-free-only = Am ddim yn unig
results-day = Diwrnod
results-any-day = Unrhyw ddiwrnod
results-open-now = Ar agor nawr
results-how-to-get-help = Sut i gael help
results-any-way = Unrhyw ffordd
results-delivery = Sut mae'n cael ei ddarparu
results-any = Unrhyw
results-apply = Defnyddio'r hidlwyr
results-none = Does dim gwasanaethau'n cyfateb. Rhowch gynnig ar lai o eiriau neu hidlwyr, neu
results-none-link = porwch yn ôl angen
results-why = Pam y canlyniad hwn: { $why }
results-pages = Tudalennau o ganlyniadau
results-previous = Tudalen flaenorol
results-next = Tudalen nesaf
results-page-of = Tudalen { $page } o { $pages }
results-count =
    { $count ->
        [zero] Dim gwasanaethau wedi'u canfod
        [one] Un gwasanaeth wedi'i ganfod
        [two] Dau wasanaeth wedi'u canfod
        [few] Tri gwasanaeth wedi'u canfod
        [many] Chwe gwasanaeth wedi'u canfod
       *[other] { $count } gwasanaeth wedi'u canfod
    }
distance-km = { $km } km i ffwrdd

## Gwasanaeth

service-search-again = Chwilio eto
service-run-by = Yn cael ei redeg gan { $organisation }
service-helps-with = Yn helpu gyda: { $needs }
service-how = Sut i gael help
service-contact = Cysylltu
service-phone = Ffôn:
service-email = E-bost:
service-website = Gwefan:
service-no-contact = Does dim manylion cyswllt wedi'u rhestru.
service-when = Pryd mae ar agor
service-no-times = Nid yw'r amseroedd agor wedi'u rhestru. Cysylltwch â nhw i ofyn.
service-where = Ble
service-online = Ar-lein:
service-directions = Cyfarwyddiadau ar OpenStreetMap
service-access = Mynediad: { $access }
service-covers = Yn cwmpasu: { $areas }
service-who = Ar gyfer pwy
service-languages = Ieithoedd: { $languages }
service-interpreters = Cyfieithwyr: { $interpreters }
service-cost = Cost
service-last-checked = Gwiriwyd ddiwethaf: { $date }
service-report = Rhoi gwybod am broblem gyda'r dudalen hon
service-report-what = Beth sydd o'i le?
service-report-hint = Er enghraifft, mae'r amseroedd wedi newid neu nid yw'r rhif ffôn yn gweithio. Peidiwch â chynnwys manylion personol.
service-report-send = Anfon yr adroddiad
service-not-found = Ni allem ddod o hyd i'r gwasanaeth hwnnw. Efallai ei fod wedi cau neu symud.

## Ffyrdd i mewn, darparu a dyddiau (only in Welsh: the English words come from the domain)

way-in-drop-in = Galw heibio
way-in-self-refer = Cysylltwch â nhw eich hun
way-in-referral-needed = Angen atgyfeiriad
delivery-in-person = Wyneb yn wyneb
delivery-phone = Dros y ffôn
delivery-online = Ar-lein
day-mon = Dydd Llun
day-tue = Dydd Mawrth
day-wed = Dydd Mercher
day-thu = Dydd Iau
day-fri = Dydd Gwener
day-sat = Dydd Sadwrn
day-sun = Dydd Sul

## Dywedwch wrthym beth sy'n digwydd

tell-us-title = Dywedwch wrthym beth sy'n digwydd
tell-us-lead = Dywedwch yn eich geiriau eich hun. Byddwn yn awgrymu'r mathau o help sy'n addas, a gwasanaethau lleol sy'n eu cynnig.
tell-us-danger = Os ydych chi mewn perygl nawr, ffoniwch 999
tell-us-talk-today = Gallwch chi siarad â rhywun heddiw:
tell-us-samaritans = Y Samariaid, unrhyw bryd, am ddim:
tell-us-nothing-found = Ni allem weld pa fath o help sydd ei angen arnoch o'r hyn a ysgrifennoch. Ceisiwch ddweud ychydig mwy, neu
tell-us-search-link = chwiliwch neu porwch yn ôl angen
tell-us-picked-up = Fe wnaethom sylwi ar
tell-us-not-right = Ddim yn hollol iawn? Newidiwch yr hyn a ysgrifennoch isod, neu
tell-us-talk = Hoffech chi i rywun siarad am y peth gyda chi?
tell-us-call-back-link = Gofynnwch i ni eich ffonio'n ôl
tell-us-no-service = Nid ydym yn rhestru gwasanaeth ar gyfer hyn eto.
tell-us-no-service-near = Nid ydym yn rhestru gwasanaeth ar gyfer hyn yn agos atoch chi eto.
tell-us-see-all = Gweld pob un o'r { $count } gwasanaeth ar gyfer { $need }
tell-us-what = Beth sy'n digwydd?
tell-us-what-hint = Nid yw'r hyn rydych chi'n ei ysgrifennu yn cael ei gadw, a does neb arall yn ei weld. Er enghraifft: “mae'r beilïaid yn dal i ddod a dw i'n methu cysgu”.
tell-us-age = Oed (dewisol)
tell-us-find = Dod o hyd i help
tell-us-again = Edrych eto
tell-us-unreadable = Ni allem ddarllen yr hyn a ysgrifennoch. Teipiwch ef eto.
tell-us-empty = Dywedwch ychydig wrthym am beth sy'n digwydd.
tell-us-too-long = Defnyddiwch lai na { $max } o nodau.

## Gofyn am alwad yn ôl, ac atgyfeiriad gan weithiwr proffesiynol

call-back-title = Gofyn am alwad yn ôl
refer-title = Atgyfeirio rhywun at gydlynydd
call-back-sent = Diolch: byddwn mewn cysylltiad
refer-sent = Diolch: mae eich atgyfeiriad wedi'i anfon
call-back-danger = Os oes unrhyw un mewn perygl nawr, ffoniwch 999
call-back-samaritans = Mae'r Samariaid yn ateb ddydd a nos, am ddim:
call-back-abuse-line = Llinell Gymorth Genedlaethol Cam-drin Domestig, am ddim, 24 awr:
call-back-within = Bydd cydlynydd yn cysylltu o fewn dau ddiwrnod gwaith, dim ond yn y ffyrdd y dywedoch chi eu bod yn ddiogel.
refer-within = Bydd cydlynydd yn cysylltu â'r person, neu â chi yn gyntaf os nad yw'n ddiogel, o fewn dau ddiwrnod gwaith, dim ond yn y ffyrdd y dywedon nhw eu bod yn ddiogel.
call-back-picked-up = O'r hyn a ysgrifennwyd fe wnaethom sylwi ar: { $needs }. Bydd y cydlynydd yn siarad am y peth.
call-back-lead = Gall cydlynydd siarad am bethau gyda chi a'ch helpu i gael yr help iawn. Mae am ddim. Dywedwch wrthym dim ond yr hyn rydych chi'n hapus i'w ddweud.
refer-lead = Ar gyfer meddygon teulu, ysgolion, swyddogion tai a gweithwyr proffesiynol eraill. Mae cydlynydd yn eistedd i lawr gyda'r person, yn gweld beth sy'n bwysig iddyn nhw ac yn eu cael at yr help iawn. Dim ond atgyfeirio rhywun sydd wedi cytuno i hynny.
refer-about-person = Am y person
refer-about-you = Amdanoch chi
call-back-your-name = Eich enw
refer-their-name = Eu henw
call-back-phone = Ffôn
call-back-email = E-bost (dewisol)
call-back-postcode = Cod post (dewisol)
call-back-what = Ychydig eiriau am beth sy'n digwydd
refer-what = Beth sy'n digwydd iddyn nhw
refer-your-role = Eich swydd
refer-your-organisation = Eich sefydliad
refer-your-phone = Eich ffôn
refer-your-email = Eich e-bost
call-back-consent = Rwy'n cytuno bod cydlynydd yn cadw'r manylion hyn ac yn cysylltu â mi
refer-consent = Cytunodd y person i'r atgyfeiriad hwn, ac i gydlynydd gadw'r manylion hyn a chysylltu â nhw
call-back-send = Gofyn am alwad yn ôl
refer-send = Anfon yr atgyfeiriad

## Sut mae'n ddiogel cysylltu

safe-legend = Sut mae'n ddiogel cysylltu â chi?
safe-hint = Ticiwch bob ffordd sy'n ddiogel. Os gallai rhywun arall weld eich ffôn neu'ch post, gadewch y rheini heb eu ticio.
safe-call = Galwadau ffôn
safe-text = Negeseuon testun
safe-voicemail = Gadael neges llais
safe-email = E-bost
safe-no-letters = Peidiwch byth ag anfon llythyrau i'r cyfeiriad
safe-times = Amseroedd diogel i gysylltu
safe-times-hint = Er enghraifft: yn ystod yr wythnos rhwng 10 a 2
safe-code-word = Gair cod (dewisol)
safe-code-word-hint = Byddwn yn ei ddweud cyn dim byd arall, er mwyn i chi wybod mai ni sydd yno go iawn.

## Ffurfiau lluosog, fel y mae gwiriad y catalog yn eu profi

places-left =
    { $count ->
        [zero] Dim lleoedd ar ôl
        [one] Un lle ar ôl
        [two] Dau le ar ôl
        [few] Tri lle ar ôl
        [many] Chwe lle ar ôl
       *[other] { $count } lle ar ôl
    }

## Meysydd angen (only in Welsh: the English words come from the needs taxonomy itself)

domain-money = Arian a bwyd
domain-housing = Tai
domain-safety = Teimlo'n ddiogel
domain-health = Iechyd a lles
domain-care = Gofal ac annibyniaeth
domain-family = Teulu a phobl ifanc
domain-work = Gwaith a dysgu
domain-practical = Help ymarferol a chyngor
domain-community = Cymuned a chymryd rhan

## Anghenion (only in Welsh, by the taxonomy's ids)

need-debt = Cyngor ar ddyledion
need-benefits = Cyngor ar fudd-daliadau a hawliau
need-money-management = Cyllidebu a rheoli arian
need-crisis-support = Grantiau brys a chymorth mewn argyfwng
need-fuel-poverty = Biliau ynni a chadw'n gynnes
need-food = Cymorth gyda bwyd
need-gambling = Niwed gamblo
need-homelessness = Digartrefedd neu risg o golli cartref
need-housing-advice = Cyngor ar dai a hawliau tenantiaeth
need-home-repairs = Atgyweirio ac addasu cartrefi
need-domestic-abuse = Cam-drin domestig
need-victim-support = Dioddefwyr troseddau ac ymddygiad gwrthgymdeithasol
need-mental-health = Cymorth iechyd meddwl
need-bereavement = Profedigaeth a cholled
need-loneliness = Unigrwydd ac ynysigrwydd cymdeithasol
need-physical-activity = Gweithgarwch corfforol ac ymarfer corff
need-healthy-eating = Bwyta'n iach a phwysau
need-smoking = Rhoi'r gorau i ysmygu
need-alcohol-drugs = Defnyddio alcohol a chyffuriau
need-long-term-conditions = Byw gyda chyflwr iechyd hirdymor
need-dementia = Dementia a phroblemau cof
need-carers = Cymorth i ofalwyr di-dâl
need-disability = Cymorth anabledd a byw'n annibynnol
need-older-people = Heneiddio'n dda a chymorth i bobl hŷn
need-help-at-home = Help ymarferol yn y cartref
need-parenting = Cymorth magu plant
need-early-years = Babanod, plant bach a'r blynyddoedd cynnar
need-young-people = Gweithgareddau a chymorth i bobl ifanc
need-send = Anghenion addysgol arbennig ac anableddau
need-relationships = Chwalu perthynas a theulu
need-employment = Dod o hyd i waith a chymorth cyflogaeth
need-skills = Dysgu, cymwysterau a hyfforddiant
need-digital = Sgiliau digidol a mynd ar-lein
need-esol = Dysgu Saesneg
need-transport = Trafnidiaeth a theithio
need-legal = Cyngor cyfreithiol
need-immigration = Cyngor ar fewnfudo a lloches
need-household-goods = Dodrefn, dillad a nwyddau tŷ
need-social-groups = Grwpiau cymdeithasol, clybiau a diddordebau
need-arts-creativity = Celf, cerddoriaeth a chreadigrwydd
need-nature = Garddio, natur a'r awyr agored
need-volunteering = Cyfleoedd gwirfoddoli
need-community-action = Dechrau grŵp neu brosiect cymunedol

## Beth sydd o'i le gyda ffurflen galwad yn ôl neu atgyfeirio

call-back-not-sent = Mae'n ddrwg gennym, ni allem anfon hwn ar hyn o bryd. Rhowch gynnig arall arni ymhen munud; nid oes dim a deipiwyd gennych wedi'i golli.
call-back-too-many = Mae gennym sawl cais o'r fan hon yn barod yn yr awr ddiwethaf, a bydd cydlynydd mewn cysylltiad. Os oes unrhyw un mewn perygl nawr, ffoniwch 999.
intake-no-name = Rhowch enw y gallwn ei ddefnyddio, hyd yn oed enw cyntaf yn unig
refer-no-name = Rhowch enw'r person rydych chi'n ei atgyfeirio
intake-no-way-to-reach = Rhowch o leiaf un ffordd ddiogel i ni gysylltu â chi: rhif ffôn neu e-bost
intake-no-safe-way = Dywedwch wrthym sut mae'n ddiogel cysylltu â chi: ticiwch galwad, neges destun neu e-bost
intake-no-consent = Ticiwch y blwch i ddweud y cawn gadw hyn a chysylltu â chi
refer-no-consent = Ticiwch y blwch i gadarnhau bod y person wedi cytuno i'r atgyfeiriad hwn
intake-too-long = Cadwch ef yn fyr: mae ychydig eiriau yn ddigon (llai na 2,000 o nodau)
intake-no-referrer-contact = Rhowch eich enw eich hun a rhif ffôn neu e-bost, er mwyn i ni allu cysylltu â chi am hyn

## Problemau chwilio (only in Welsh: the English words are the search's own)

search-error-too-long = Mae eich chwiliad yn rhy hir. Defnyddiwch lai na { $max } o nodau.
search-error-unknown-postcode = Nid ydym yn adnabod y cod post { $postcode }. Gwiriwch ef, neu rhowch gynnig ar y rhan gyntaf yn unig, fel { $outcode }.
search-error-unknown-place = Ni allem ddod o hyd i le o'r enw “{ $place }”. Rhowch gynnig ar god post, neu enw tref neu bentref.
search-error-bad-age = Rhaid i'r oed fod yn nifer cyfan o flynyddoedd, fel 8 neu 67.
search-error-bad-day = Dewiswch ddiwrnod o'r wythnos.
search-error-bad-way-in = Dewiswch o'r rhestr sut yr hoffech gael help.
search-error-bad-delivery = Dewiswch o'r rhestr sut mae'r help yn cael ei ddarparu.
search-error-bad-distance = Rhaid i'r pellter fod yn nifer o gilometrau rhwng 1 a 500.
search-error-bad-page = Rhaid i'r dudalen fod yn rhif cyfan, fel 2.
search-error-no-such-page =
    { $pages ->
        [one] Does dim tudalen { $page }: dim ond 1 dudalen sydd.
       *[other] Does dim tudalen { $page }: mae { $pages } tudalen.
    }
search-error-unavailable = Nid oedd modd chwilio'r cyfeiriadur ar hyn o bryd; rhowch gynnig arall arni ymhen munud.
search-error-bad-postcode = Nid yw hwnnw'n edrych fel cod post. Gwiriwch ef, neu rhowch enw tref neu bentref.
search-error-unknown-need = Nid ydym yn adnabod yr angen hwnnw. Dewiswch un o'r rhestr ar yr hafan.

## Ffeithiau gwasanaeth

status-temporarily-closed = Ar gau dros dro
status-no-longer-running = Ddim yn rhedeg mwyach
ages-all = Pob oed.
ages-from = Oed { $min } a hŷn.
ages-up-to = Hyd at { $max } oed.
ages-between = Oed { $min } i { $max }.
cost-ask = Gofynnwch am y costau
service-no-place-remote = Mae'r gwasanaeth hwn yn gweithio dros y ffôn neu ar-lein.
service-no-place-unpublished = Nid yw'r cyfeiriad wedi'i gyhoeddi. Cysylltwch â nhw i gael gwybod ble i fynd.
service-checked-long-ago = { $date } (dros flwyddyn yn ôl: holwch nhw cyn i chi fynd)
service-promise-window = (o'r 90 diwrnod diwethaf).
service-never-checked = heb ei gofnodi

## Misoedd (only in Welsh: English from the calendar)

month-1 = Ionawr
month-2 = Chwefror
month-3 = Mawrth
month-4 = Ebrill
month-5 = Mai
month-6 = Mehefin
month-7 = Gorffennaf
month-8 = Awst
month-9 = Medi
month-10 = Hydref
month-11 = Tachwedd
month-12 = Rhagfyr

## Pryd mae gwasanaeth yn agor nesaf

when-today = heddiw
when-tomorrow = yfory
when-at = { $day } am { $time }

## Cysylltwyr Lleol a hyfforddiant

connector-title = Dod yn Gysylltydd Lleol
connector-does = Beth mae cysylltydd yn ei wneud
connector-does-listen = Gwrando, yn y sgyrsiau rydych chi'n eu cael yn barod: wrth giât yr ysgol, yn y siop, yn yr arhosfan bysiau.
connector-does-point = Cyfeirio pobl at help lleol: grwpiau, gwasanaethau a gweithgareddau.
connector-does-postcards = Rhannu cardiau post gyda'r wefan a manylion cyswllt cydlynydd.
connector-does-pass = Gyda chaniatâd y person, eu trosglwyddo i gydlynydd sy'n gallu helpu mwy.
connector-does-note = Nodi pob sgwrs ar eu ffôn mewn ychydig eiliadau, heb enwau, er mwyn i'r dref wybod beth sydd ei angen ar bobl.
connector-does-not = Beth nad yw cysylltydd yn ei wneud
connector-not-advice = Rhoi cyngor neu gwnsela, na datrys pethau i bobl.
connector-not-keep = Cadw enw, rhif na stori neb.
connector-not-visit = Ymweld â phobl gartref, na chymryd llwyth achosion.
connector-training-time = Mae'r hyfforddiant yn cymryd tua awr, gyda sesiwn gloywi fer unwaith y flwyddyn.
connector-sign-up = Cofrestru
email-address = Cyfeiriad e-bost
phone-optional = Rhif ffôn (dewisol)
connector-area = Eich ardal
connector-area-hint = Mae enw cymdogaeth, pentref neu stryd yn ddigon.
connector-heard-from = Sut glywsoch chi am Gysylltwyr Lleol? (dewisol)
connector-sign-up-button = Cofrestru a dewis sesiwn hyfforddi
connector-lead = Mae Cysylltwyr Lleol yn bobl sy'n byw neu'n gweithio yn { $area } ac sy'n gwybod pa help sydd ar gael. Pan fydd cymydog, cwsmer neu ffrind yn sôn am rywbeth sy'n eu poeni, rydych chi'n gwrando, ac yn eu cyfeirio at help.
choose-training = Dewis sesiwn hyfforddi
connector-thanks = Diolch am gofrestru, { $name }
seats-left =
    { $count ->
        [zero] Dim lleoedd ar ôl
        [one] 1 lle ar ôl
        [two] 2 le ar ôl
        [few] 3 lle ar ôl
        [many] 6 lle ar ôl
       *[other] { $count } lle ar ôl
    }
training-full-join = Llawn: ymunwch â'r rhestr aros
training-book-session = Archebu'r sesiwn hon
training-join-waiting = Ymuno â'r rhestr aros
connector-now-choose = Nawr dewiswch sesiwn hyfforddi Cysylltydd Lleol.
connector-no-training = Does dim hyfforddiant cysylltwyr wedi'i drefnu ar hyn o bryd. Byddwn yn cysylltu drwy e-bost pan fydd y sesiwn nesaf wedi'i threfnu. Gallwch hefyd
see-all-training = weld pob sesiwn hyfforddi
training-title = Sesiynau hyfforddi
training-lead = Hyfforddiant Cysylltwyr Lleol, sesiynau gloywi, a hyfforddiant ar y cyd i staff sefydliadau lleol. Gall unrhyw un archebu; does dim angen cyfrif arnoch chi.
training-what-connector = Beth mae Cysylltydd Lleol yn ei wneud?
training-none = Does dim sesiynau wedi'u trefnu ar hyn o bryd. Edrychwch eto cyn bo hir.
training-feed = Ychwanegu pob sesiwn at eich calendr (ffrwd iCalendar)
training-add-calendar = Ychwanegu'r sesiwn hon at eich calendr
training-all = Pob sesiwn hyfforddi
training-when = Pryd
training-trainer = Hyfforddwr
training-places = Lleoedd
training-full-explained = Llawn. Os byddwch yn archebu, byddwch yn ymuno â'r rhestr aros, a byddwn yn anfon e-bost atoch os daw lle yn rhydd.
training-book-place = Archebu lle
training-email-use = Rydym yn defnyddio eich cyfeiriad e-bost dim ond i gadarnhau eich lle, eich atgoffa'r diwrnod cynt, a dweud wrthych os daw lle yn rhydd.
training-organisation = Y sefydliad rydych chi'n gweithio iddo
training-organisation-optional = Y sefydliad rydych chi'n gweithio iddo (dewisol)
training-waiting = Rydych chi ar y rhestr aros
training-booked = Mae eich lle wedi'i archebu
training-confirmed = Mae eich lle ar { $title } wedi'i gadarnhau.
training-waiting-explained = Mae'r sesiwn yn llawn. Os daw lle yn rhydd, y person cyntaf sy'n aros sy'n ei gael, a byddwn yn anfon e-bost atoch ar unwaith.
training-email-sent = Rydym wedi anfon e-bost atoch gyda'r manylion a dolen i ganslo os na allwch ddod. Rydym yn anfon nodyn atgoffa'r diwrnod cynt.
booking-cancel-title = Canslo eich archeb
booking-cancel-why = Os na allwch ddod, mae canslo yn gadael i'r person nesaf ar y rhestr aros gael eich lle.
booking-cancel-button = Canslo fy archeb
booking-keep = Cadw fy archeb a gweld sesiynau hyfforddi

## Beth mae'r tudalennau hyfforddi a chysylltwyr cyhoeddus yn ei ddweud

training-no-such = Dim sesiwn hyfforddi o'r fath
training-no-such-text = Ni allem ddod o hyd i'r sesiwn hyfforddi honno. Efallai ei bod wedi'i thynnu i lawr.
training-see = Gweld sesiynau hyfforddi
training-too-many = Mae gennym sawl archeb o'r fan hon yn barod yn yr awr ddiwethaf. Os ydych chi'n archebu ar gyfer grŵp, gofynnwch i'r person sy'n rhedeg yr hyfforddiant eu hychwanegu.
training-already-booked = Mae gan y cyfeiriad e-bost hwn le ar y sesiwn hon yn barod. Mae dolen i'w ganslo yn eich e-bost cadarnhau.
training-started = Mae'r sesiwn hon wedi dechrau
training-started-text = Mae archebion yn cau pan fydd sesiwn yn dechrau. Dewiswch sesiwn arall.
training-not-found = Ni allem ddod o hyd i'r sesiwn hyfforddi honno.
booking-not-found = Ni allem ddod o hyd i'r archeb hon
booking-not-found-text = Nid ydym yn adnabod y ddolen ganslo hon. Efallai bod yr archeb wedi'i chanslo'n barod, neu efallai eich bod wedi cael dolen newydd pan ddaeth lle yn rhydd: defnyddiwch y ddolen yn eich e-bost diweddaraf.
booking-cancelled = Mae eich archeb wedi'i chanslo
booking-cancelled-text = Diolch am roi gwybod i ni. Os oedd rhywun yn aros, eu lle nhw yw e nawr.
training-see-other = Gweld sesiynau hyfforddi eraill
booking-already-cancelled = Wedi'i chanslo'n barod
booking-already-cancelled-text = Cafodd yr archeb hon ei chanslo'n barod; does dim mwy i'w wneud.
booking-attended = Fe ddaethoch chi i'r sesiwn hon
booking-attended-text = Mae presenoldeb wedi'i gofnodi ar gyfer yr archeb hon, felly does dim i'w ganslo.
connector-too-many = Mae gennym sawl cofrestriad o'r fan hon yn barod yn yr awr ddiwethaf; rhowch gynnig arall arni yn nes ymlaen.
postcard-unknown = Nid ydym yn adnabod y cod hwnnw
postcard-unknown-text = Mae'r cod ar gerdyn post yn 6 llythyren a rhif. Gallwch chi ddal i ddweud wrthym beth sy'n digwydd a byddwn yn eich cyfeirio at help.

## Mathau o hyfforddiant (only in Welsh: the English words come from the domain)

training-kind-connector = Hyfforddiant Cysylltydd Lleol
training-kind-refresher = Sesiwn gloywi Cysylltydd Lleol
training-kind-joint = Hyfforddiant ar y cyd ar draws asiantaethau
training-kind-match_event = Digwyddiad paru gwirfoddolwyr

## Gwirfoddoli

volunteer-title = Gwirfoddoli
volunteer-heading = Gwirfoddoli yn agos atoch chi
volunteer-lead = Grwpiau lleol a fyddai wrth eu bodd yn cael eich help. Dywedwch fod gennych chi ddiddordeb a bydd y grŵp yn cysylltu: does dim angen cyfrif.
volunteer-what = Beth hoffech chi ei wneud?
volunteer-what-hint = Er enghraifft: gyrru, garddio, cyfeillio, coginio
distance = Pellter
any-distance = Unrhyw bellter
within-km = O fewn { $km } km
volunteer-show-only = Dangos dim ond rolau
volunteer-for-new = Addas i rywun sy'n newydd i wirfoddoli
volunteer-for-recovering = Addas i rywun sy'n gwella neu'n dod yn ôl ar ei draed
volunteer-no-dbs = Dim angen gwiriad DBS
volunteer-find = Dod o hyd i rolau
volunteer-roles =
    { $count ->
        [zero] Dim rolau
        [one] 1 rôl
        [two] 2 rôl
        [few] 3 rôl
        [many] 6 rôl
       *[other] { $count } rôl
    }
volunteer-none = Does dim rolau'n cyfateb. Rhowch gynnig ar lai o eiriau neu bellter mwy, neu
volunteer-become-connector = dewch yn Gysylltydd Lleol
volunteer-checks = Gwiriadau: { $checks }
volunteer-checks-none = Dim
volunteer-good-new = Da i rywun newydd
volunteer-good-recovering = Da i rywun sy'n gwella
whats-on-this-week = Beth sy'n digwydd yr wythnos hon
volunteer-skills = Sgiliau sy'n help
volunteer-checks-needed = Gwiriadau sydd eu hangen
volunteer-access = Mynediad
volunteer-good-for = Da i
volunteer-good-for-both = rywun sy'n newydd i wirfoddoli, a rhywun sy'n gwella neu'n dod yn ôl ar ei draed
volunteer-good-for-new = rywun sy'n newydd i wirfoddoli
volunteer-good-for-recovering = rywun sy'n gwella neu'n dod yn ôl ar ei draed
volunteer-good-for-anyone = unrhyw un sydd â'r amser
volunteer-interested = Mae gen i ddiddordeb
volunteer-interested-lead = Gadewch eich enw a ffordd o gysylltu â chi. Dim ond { $organisation } sy'n eu gweld, i gysylltu â chi am y rôl hon. Os nad ydyn nhw wedi ateb o fewn 3 diwrnod gwaith, rydym yn eu hatgoffa.
volunteer-your-name = Eich enw
volunteer-contact = Cyfeiriad e-bost neu rif ffôn
volunteer-message = Unrhyw beth y dylen nhw ei wybod (dewisol)
volunteer-message-hint = Pryd rydych chi'n rhydd, neu beth hoffech chi ei wneud.
volunteer-consent = Caiff { $organisation } gysylltu â mi am y rôl hon
volunteer-send = Anfon
volunteer-closed = Nid yw'r rôl hon yn derbyn cynigion mwyach.
volunteer-all-roles = Pob rôl wirfoddoli
volunteer-thank-you = Diolch
volunteer-offered = Diolch am gynnig helpu
volunteer-passed-on = Rydym wedi anfon eich cynnig at { $organisation } ar gyfer y rôl “{ $role }”.
volunteer-will-be-in-touch = Byddan nhw'n cysylltu â chi
volunteer-chased = Os nad ydyn nhw wedi ateb o fewn 3 diwrnod gwaith, rydym yn eu hatgoffa; ar ôl 5, mae'r bobl sy'n rhedeg { $site } yn mynd ar ei ôl.
volunteer-other-roles = Gweld rolau eraill
volunteer-replies =
    { $count ->
        [zero] fel arfer yn ateb yr un diwrnod
        [one] fel arfer yn ateb mewn 1 diwrnod gwaith
        [two] fel arfer yn ateb mewn 2 ddiwrnod gwaith
        [few] fel arfer yn ateb mewn 3 diwrnod gwaith
        [many] fel arfer yn ateb mewn 6 diwrnod gwaith
       *[other] fel arfer yn ateb mewn { $count } diwrnod gwaith
    }

## Beth mae'r tudalennau gwirfoddoli yn ei ddweud

volunteer-too-long = Defnyddiwch lai o eiriau, llai na 200 o nodau
choose-distance = Dewiswch bellter o'r rhestr
volunteer-no-such = Dim rôl wirfoddoli o'r fath
volunteer-no-such-text = Ni allem ddod o hyd i'r rôl honno. Efallai ei bod wedi'i llenwi neu wedi'i thynnu i lawr.
volunteer-see-roles = Gweld rolau gwirfoddoli
volunteer-filled = Mae'r rôl hon wedi'i llenwi
volunteer-filled-text = Nid yw'r sefydliad yn derbyn cynigion ar gyfer y rôl hon mwyach. Efallai y bydd rolau eraill yn addas i chi.
volunteer-too-many = Mae gennym sawl cynnig o'r fan hon yn barod yn yr awr ddiwethaf. Rhowch gynnig arall arni yn nes ymlaen.
offer-no-name = Rhowch eich enw
offer-name-too-long = Cadwch eich enw yn llai na { $max } o nodau
offer-no-contact = Rhowch gyfeiriad e-bost neu rif ffôn
offer-contact-too-long = Cadwch y cyfeiriad e-bost neu'r rhif ffôn yn llai na { $max } o nodau
offer-bad-contact = Rhowch gyfeiriad e-bost fel enw@example.org, neu rif ffôn
offer-message-too-long = Cadwch eich neges yn llai na { $max } o nodau
offer-no-consent = Ticiwch y blwch er mwyn i'r sefydliad gael cysylltu â chi am y rôl hon

## Gwiriadau i wirfoddolwyr (only in Welsh: the English words come from the domain)

check-dbs = Gwiriad DBS
check-references = Geirda
check-driving_licence = Trwydded yrru
check-induction = Hyfforddiant cynefino

## Beth sy'n digwydd

whats-on-title = Beth sy'n digwydd
whats-on-lead = Grwpiau, clybiau a sesiynau galw heibio yn { $area }. Mae croeso i bawb oni bai ei fod yn dweud fel arall.
whats-on-add-calendar = Ychwanegu popeth at eich calendr
nothing-listed = Dim byd wedi'i restru.
whats-on-hubs = Hybiau cymunedol
whats-on-every-activity = Pob gweithgaredd
whats-on-none = Does dim gweithgareddau wedi'u rhestru eto.
whats-on-everywhere = Beth sy'n digwydd ym mhobman
activity-next = Nesaf
activity-at = Yn
activity-add-calendar = Ychwanegu at eich calendr
activity-today = Heddiw, { $date }
time-range = { $from } i { $to }
hub-add-calendar = Ychwanegu gweithgareddau'r hyb hwn at eich calendr
hub-this-week = Yr wythnos hon
hub-everything = Popeth sydd yma
activity-no-such = Dim gweithgaredd o'r fath
activity-no-such-text = Ni allem ddod o hyd i'r gweithgaredd hwnnw. Efallai ei fod wedi dod i ben neu wedi'i dynnu i lawr.
hub-no-such = Dim hyb o'r fath
hub-no-such-text = Ni allem ddod o hyd i'r hyb hwnnw. Efallai ei fod wedi cau neu wedi'i dynnu i lawr.
see-whats-on = Gweld beth sy'n digwydd

## Pryd mae gweithgaredd yn digwydd (only in Welsh: the English words come from the domain)

repeat-weekly = Bob { $days }
repeat-and = a
repeat-monthly-1 = Y dydd { $day } cyntaf o bob mis
repeat-monthly-2 = Yr ail ddydd { $day } o bob mis
repeat-monthly-3 = Y trydydd dydd { $day } o bob mis
repeat-monthly-4 = Y pedwerydd dydd { $day } o bob mis
repeat-monthly-5 = Y pumed dydd { $day } o bob mis
repeat-monthly--1 = Y dydd { $day } olaf o bob mis
repeat-monthly--2 = Y dydd { $day } olaf ond un o bob mis

## Grwpiau cymunedol

group-who-for = I bwy mae e
group-first-meeting = y cyfarfod cyntaf { $when }
group-helps-with = Yn helpu gyda
group-members = Aelodau
group-get-in-touch = Cysylltu
group-listing = Ei gofnod yn y cyfeiriadur
group-funded = Wedi’i ariannu gan y gronfa leol
group-about-the-fund = Am y gronfa leol
group-apply-for-funding = Gwneud cais am grant i’r grŵp hwn
group-start = Dechrau grŵp
group-start-lead = Eisiau cwrdd â phobl, rhannu diddordeb neu helpu eraill? Dywedwch wrthym am eich syniad. Bydd cydlynydd yn eich ffonio neu'n anfon e-bost i'ch helpu i ddod o hyd i le i gwrdd, a phobl i ymuno. Does dim angen cyfrif arnoch chi.
group-contact = Rhif ffôn neu gyfeiriad e-bost
group-idea = Rwyf eisiau dechrau grŵp ar gyfer…
group-who-for-optional = I bwy mae e (dewisol)
group-send-idea = Anfon fy syniad
group-already-running = Grwpiau sy'n rhedeg yn barod
group-too-many = Mae gennym sawl syniad o'r fan hon yn barod yn yr awr ddiwethaf. Rhowch gynnig arall arni yn nes ymlaen.
group-idea-thanks = Diolch: mae eich syniad gennym
group-idea-thanks-text = Bydd cydlynydd yn cysylltu i'ch helpu i ddechrau eich grŵp: dod o hyd i le i gwrdd, a phobl i ymuno.
group-see-spaces = Gweld lleoedd lle gallech chi gwrdd
group-no-such = Dim grŵp o'r fath
group-no-such-text = Ni allem ddod o hyd i'r grŵp hwnnw. Efallai nad yw wedi'i restru eto.
group-no-name = Rhowch eich enw
group-name-too-long = Rhaid i'ch enw fod yn 100 nod neu lai
group-no-contact = Rhowch rif ffôn neu gyfeiriad e-bost, er mwyn i gydlynydd allu cysylltu â chi
group-no-idea = Dywedwch wrthym am y grŵp sydd gennych mewn golwg
group-too-long = Rhaid i'r testun fod yn { $max } nod neu lai

## Nodiadau lle mewn grŵp (only in Welsh: the English words come from the domain)

group-capacity-full-needs-volunteers = Rydym yn llawn ar hyn o bryd, ond mae angen gwirfoddolwyr arnom.
group-capacity-full = Rydym yn llawn ar hyn o bryd: gofynnwch am gael ymuno â'r rhestr aros.
group-capacity-needs-volunteers = Mae angen gwirfoddolwyr arnom: mae croeso i aelodau newydd hefyd.

## Lleoedd, cerbydau a help i'w benthyg

asset-title = Lleoedd, cerbydau a help i'w benthyg
asset-lead = Neuaddau ac ystafelloedd, bysiau mini, offer a chynigion pobl o'u hamser y gallwch ofyn am gael eu defnyddio. Does dim angen cyfrif ar neb.
asset-what-you-need = Beth sydd ei angen arnoch chi
asset-anything = Unrhyw beth
asset-at-least = Ar gyfer o leiaf hyn o bobl
asset-free-to-use = Am ddim i'w ddefnyddio
asset-step-free = Heb risiau ac yn hygyrch
asset-free-at = Ar gael ar amser penodol (dewisol)
asset-date = Dyddiad
asset-from = O
asset-to = I
asset-show = Dangos
asset-found =
    { $count ->
        [zero] Dim wedi'u canfod
        [one] 1 wedi'i ganfod
        [two] 2 wedi'u canfod
        [few] 3 wedi'u canfod
        [many] 6 wedi'u canfod
       *[other] { $count } wedi'u canfod
    }
asset-none = Does dim byd yn cyfateb. Rhowch gynnig ar lai o hidlwyr.
asset-holds-count = Lle i { $count }
asset-seats-count = { $count } sedd
asset-accessible = Hygyrch
asset-start-group = Eisiau dechrau grŵp? Dywedwch wrthym am eich syniad
asset-what-it-is = Beth yw e
asset-holds = Capasiti
asset-people =
    { $count ->
        [zero] 0 o bobl
        [one] 1 person
        [two] 2 berson
        [few] 3 pherson
        [many] 6 pherson
       *[other] { $count } o bobl
    }
asset-accessible-yes = Ydy: mynediad heb risiau
asset-accessible-no = Nid heb risiau, neu ddim yn hysbys
asset-facilities = Cyfleusterau
asset-price = Pris
asset-price-per-hour = { $price } yr awr
asset-hire-terms = Telerau llogi
asset-seats = Seddi
asset-not-given = Heb ei nodi
asset-wheelchair-places = Lleoedd i gadeiriau olwyn
asset-who-may-drive = Pwy gaiff yrru
asset-ask-owner = Gofynnwch i'r perchennog
asset-drivers-trained = Gyrwyr wedi'u hyfforddi
asset-drivers-trained-yes = Oes: mae gyrwyr y perchennog wedi'u hyfforddi
asset-drivers-trained-no = Nac oes: dewch â gyrrwr sydd â hawl i'w yrru
asset-when-used = Pryd y gellir ei ddefnyddio
asset-ask-owner-line = Gofynnwch i'r perchennog.
asset-free-heading = Ar gael yn y pythefnos nesaf
asset-no-free = Dim amseroedd rhydd yn y pythefnos nesaf.
asset-calendar = Ei archebion fel calendr
asset-ask = Gofyn am gael ei ddefnyddio
asset-ask-lead = Mae'r perchennog yn ateb dros y ffôn neu drwy e-bost. Rydym yn defnyddio eich manylion ar gyfer y cais hwn yn unig.
asset-phone = Rhif ffôn
asset-phone-hint = Rhif ffôn neu gyfeiriad e-bost, er mwyn i'r perchennog allu eich ateb.
asset-email = Cyfeiriad e-bost (dewisol)
asset-purpose = Beth yw ei ddiben
asset-people-label = Faint o bobl
asset-like = Fel { $time }
asset-how-often = Pa mor aml
asset-once = Unwaith yn unig
asset-weekly = Bob wythnos
asset-fortnightly = Bob pythefnos
asset-count = Sawl gwaith i gyd (os yw'n ailadrodd)
asset-send = Anfon y cais
asset-all = Pob lle, cerbyd a help
asset-request-sent = Cais wedi'i anfon
asset-request-sent-heading = Mae eich cais wedi'i anfon
asset-owner-will-answer = Bydd perchennog { $asset } yn cysylltu â chi.
asset-owner-will-answer-emailed = Bydd perchennog { $asset } yn cysylltu â chi, ac rydym wedi anfon copi atoch drwy e-bost.
asset-you-asked = Fe ofynnoch chi am:
asset-back = Yn ôl i leoedd, cerbydau a help

## Beth mae'r tudalennau asedau yn ei ddweud

asset-bad-capacity = Rhowch nifer y bobl fel rhif cyfan
asset-bad-date = Rhowch y dyddiad fel 2026-12-03
asset-bad-times = Rhowch amser dechrau ac amser gorffen fel 18:00 a 21:00
asset-no-such = Dim ased o'r fath
asset-no-such-text = Ni allem ddod o hyd i'r lle, y cerbyd na'r cynnig hwnnw. Efallai ei fod wedi'i dynnu i lawr.
asset-not-found = Ni allem ddod o hyd i'r lle, y cerbyd na'r cynnig hwnnw.
asset-browse = Pori lleoedd a mwy
asset-no-such-booking = Dim archeb o'r fath
asset-no-such-booking-text = Ni allem ddod o hyd i'r archeb honno, neu nid yw wedi'i chymeradwyo.
asset-too-many = Mae gennym sawl cais o'r fan hon yn barod yn yr awr ddiwethaf. Rhowch gynnig arall arni yn nes ymlaen, neu gofynnwch i'r perchennog yn uniongyrchol.
asset-slot-nth = Yr amser rhif { $number } y gofynnoch amdano: { $problem }
asset-slot-sorry = Mae'n ddrwg gennym, { $problem }
asset-no-contact = Rhowch rif ffôn neu gyfeiriad e-bost, er mwyn i'r perchennog allu eich ateb
asset-bad-phone = Rhowch rif ffôn fel 01632 960 001
asset-bad-email = Rhowch gyfeiriad e-bost fel enw@example.org
asset-no-purpose = Dywedwch beth yw ei ddiben
asset-purpose-too-long = Rhaid i'r diben fod yn { $max } nod neu lai
asset-bad-people = Rhowch faint o bobl, fel rhif
asset-too-many-people = Mae hynny'n fwy o bobl nag sydd lle iddyn nhw ({ $count })
asset-bad-from = Rhowch yr amser dechrau fel 18:00
asset-bad-to = Rhowch yr amser gorffen fel 21:00
asset-bad-repeat = Dewiswch pa mor aml: unwaith, bob wythnos neu bob pythefnos
asset-bad-count = Rhowch sawl gwaith, o 1 i { $max }
slot-backwards = rhaid i'r amser gorffen fod ar ôl yr amser dechrau
slot-in-past = mae'r amser hwnnw wedi mynd heibio: dewiswch amser sydd i ddod
slot-outside-availability = nid yw ar gael bryd hynny: dewiswch amser o fewn ei oriau
slot-overlaps = mae wedi'i archebu'n barod am ran o'r amser hwnnw: dewiswch amser arall

## Mathau o ased (only in Welsh: the English words come from the domain)

asset-kind-space = Lle
asset-kind-vehicle = Cerbyd
asset-kind-equipment = Offer
asset-kind-offer = Cynnig

## Pryd mae ased ar gael (only in Welsh: the English words come from the domain)

availability-weekly = Bob { $day }, { $times }
availability-closed = Ddim ar gael ar { $date }
availability-only = Ar { $date } yn unig, { $times }

## Y gronfa leol

fund-title = Cronfa leol
fund-lead = Grantiau bach i bobl a grwpiau sy'n gwneud pethau da yn { $area }. Does dim angen cyfrif arnoch chi, a does dim angen cyfansoddiad ar eich grŵp. Gallwch gadw eich cais a dod yn ôl ato.
fund-none-open = Does dim rowndiau ar agor ar hyn o bryd. Edrychwch eto cyn bo hir.
fund-closes = Yn cau { $date }
fund-open-to = Ar agor i { $who }.
fund-who-constituted = grwpiau ac elusennau cyfansoddiadol
fund-who-unconstituted = grwpiau heb gyfansoddiad
fund-who-individuals = unigolion
fund-band = { $min } i { $max }
fund-fast-route = Yn gofyn am lai na { $amount }? Rydym yn penderfynu'n gyflym, heb aros am y panel.
fund-apply-title = Gwneud cais: { $round }
fund-draft-saved = Mae eich drafft wedi'i gadw
fund-draft-saved-text = Does dim wedi'i anfon eto. Dewch yn ôl ato gyda'r ddolen isod, a'i anfon pan fydd yn barod.
fund-ask-for = Gallwch ofyn am
fund-closes-label = Yn cau
fund-open-to-label = Ar agor i
fund-your-link = Eich dolen i'r cais hwn
fund-your-link-hint = Cadwch hi'n ddiogel ac i chi'ch hun: gall unrhyw un sydd â hi weld a newid eich cais.
fund-who-applying = Pwy sy'n gwneud cais?
fund-amount = Faint rydych chi'n gofyn amdano, mewn punnoedd?
fund-amount-hint = Rhwng £{ $min } a £{ $max }.
fund-group-name = Enw'r grŵp (os ydych chi'n grŵp)
fund-charity-number = Rhif elusen gofrestredig (os oes gennych chi un)
fund-company-number = Rhif cwmni (os oes gennych chi un)
fund-email-hint = Rydym yn anfon y ddolen i'ch cais atoch drwy e-bost. Os nad oes gennych e-bost, rhowch rif ffôn.
fund-postcode = Cod post
fund-where-to-pay = Ble i'w dalu
fund-where-to-pay-text = Gallwch adael hyn tan yn nes ymlaen. Dim ond os dyfernir y grant y bydd tîm y gronfa'n ei weld.
fund-bank-name = Yr enw ar y cyfrif banc
fund-sort-code = Cod didoli
fund-account-number = Rhif y cyfrif
fund-save = Cadw a dod yn ôl yn nes ymlaen
fund-send = Anfon fy nghais
fund-all-rounds = Pob rownd o'r gronfa
fund-your-application = Eich cais: { $round }
fund-sent = Mae eich cais wedi'i anfon
fund-sent-text = Diolch. Byddwn yn dweud wrthych beth sy'n cael ei benderfynu.
fund-your-application-to = Eich cais i { $round }
fund-asked-for = Wedi gofyn am
fund-where-it-stands = Ble mae'n sefyll
fund-decision = Penderfyniad
fund-why = Pam
fund-your-page-link = Eich dolen i'r dudalen hon
fund-awarded = Dyfarnwyd { $amount }
fund-not-funded = Heb ei ariannu y tro hwn
fund-how-did-it-go = Sut aeth hi?
fund-monitoring-lead = Chwe mis yn ôl dyfarnodd { $round } { $amount } i chi. Mae ychydig eiriau am yr hyn a ddigwyddodd yn helpu tîm y gronfa a'r ymgeiswyr nesaf.
fund-monitoring-done = Mae eich adroddiad wedi ein cyrraedd yn barod. Diolch.
fund-what-happened = Beth ddigwyddodd gyda'r arian?
fund-people-reached = Tua faint o bobl gymerodd ran?
fund-spent-as-planned = Fe wnaethom ei wario fel y dywedon ni y bydden ni
fund-anything-else = Unrhyw beth arall? (dewisol)

## Beth mae tudalennau'r gronfa yn ei ddweud

fund-no-such-round = Dim rownd o'r fath
fund-no-such-round-text = Ni allem ddod o hyd i'r rownd honno o'r gronfa. Efallai ei bod wedi cau.
fund-see-open = Gweld y rowndiau sydd ar agor nawr
fund-closed = Mae'r rownd hon wedi cau
fund-closed-text = Caeodd { $round } ar { $date }. Nid yw ceisiadau'n cael eu derbyn mwyach; edrychwch ar y rowndiau sydd ar agor nawr.
fund-too-many = Mae gennym sawl cais o'r fan hon yn barod yn yr awr ddiwethaf. Rhowch gynnig arall arni yn nes ymlaen, neu gofynnwch i dîm y gronfa am help.
fund-already-sent = Wedi'i anfon yn barod
fund-already-sent-text = Mae'r cais hwn wedi'i anfon, felly does dim modd ei newid mwyach.
fund-see = Gweld y gronfa
fund-unknown-link = Ni allem ddod o hyd i'r cais hwn
fund-unknown-link-text = Nid ydym yn adnabod y ddolen hon. Gwiriwch ei bod wedi'i chopïo'n gyfan, neu dechreuwch gais newydd.
fund-monitoring-thanks = Mae eich adroddiad monitro wedi cyrraedd tîm y gronfa. Diolch am ddweud wrthym sut aeth hi.

## Y gronfa: geiriau'r parth (only in Welsh: the English words come from the domain)

applicant-kind-individual = Dim ond fi, i mi fy hun
applicant-kind-unconstituted_group = Grŵp heb gyfansoddiad (ychydig o gymdogion, clwb newydd)
applicant-kind-constituted_group = Grŵp cyfansoddiadol, elusen neu gwmni cymunedol
application-status-draft = Drafft
application-status-submitted = Yn aros am benderfyniad
application-status-awarded = Wedi'i ddyfarnu
application-status-declined = Heb ei ariannu
fund-question-what_for = Ar gyfer beth mae'r arian?
fund-question-who_benefits = Pwy fydd yn cael help, a faint o bobl?
fund-question-spending = Sut byddwch chi'n ei wario?
fund-question-anything_else = Unrhyw beth arall y dylem ei wybod? (dewisol)
fund-question-hint-what_for = Mewn ychydig frawddegau: beth fyddwch chi'n ei wneud, a phryd.
fund-question-hint-who_benefits = Er enghraifft: tua 20 o bobl hŷn yn Northfield sy'n byw ar eu pen eu hunain.
fund-question-hint-spending = Y prif gostau, fel: llogi neuadd £150, te a bisgedi £50.
fund-problem-deadline = Caeodd y rownd hon ar { $date }; nid yw ceisiadau'n cael eu derbyn mwyach
fund-problem-outside-band = Gofynnwch am rhwng { $min } a { $max }
fund-problem-not-an-amount = Rhowch swm mewn punnoedd, fel 400 neu 250.50
fund-problem-zero = Rhowch swm sy'n fwy na £0
fund-problem-too-large = Mae'r swm hwnnw'n fwy nag unrhyw swm mae'r gronfa hon yn ei roi
fund-problem-no-amount = Rhowch faint rydych chi'n gofyn amdano
fund-problem-unanswered = Atebwch y cwestiwn hwn: { $question }
fund-problem-no-name = Rhowch eich enw
fund-problem-no-contact = Rhowch gyfeiriad e-bost neu rif ffôn, er mwyn i ni allu cysylltu â chi
fund-problem-no-group-name = Rhowch enw'r grŵp
fund-problem-kind-not-accepted = Nid yw'r rownd hon yn derbyn ceisiadau gan y math hwn o ymgeisydd
fund-problem-no-kind = Dewiswch pwy sy'n gwneud cais
fund-problem-too-long = Mae'r testun hwnnw'n rhy hir; cadwch ef yn llai na { $max } o nodau
fund-problem-sort-code = Rhowch y cod didoli fel chwe digid, fel 12-34-56
fund-problem-account-number = Rhowch rif y cyfrif fel wyth digid
fund-problem-email = Rhowch gyfeiriad e-bost fel enw@example.org
fund-problem-monitoring-empty = Dywedwch wrthym yn fyr beth ddigwyddodd
fund-problem-monitoring-too-long = Mae'r testun hwnnw'n rhy hir; cadwch ef yn llai na { $max } o nodau
fund-problem-monitoring-not-a-number = Rhowch faint o bobl gymerodd ran, fel rhif
fund-problem-monitoring-already-sent = Mae adroddiad y dyfarniad hwn wedi'i anfon yn barod; diolch

## Pwy sy'n gwneud beth ble

insight-public-title = Pwy sy'n gwneud beth ble
insight-staff-title = Map asiantaethau
insight-lead = Beth mae'r lle yn ei gynnig, yn ôl angen ac yn ôl { $level }, o'i gymharu â'r hyn y gofynnodd pobl amdano dros y flwyddyn ddiwethaf.
insight-lead-public = Does dim ffigurau o waith achos yn y fersiwn gyhoeddus hon.
insight-lead-counted = Mae gwasanaethau'n cael eu cyfrif o'r cyfeiriadur cyhoeddus; mae ffigurau am bobl yn cael eu cyhoeddi gyda niferoedd bach wedi'u cuddio.
insight-worked-at = Cafodd y ffigurau hyn eu cyfrifo am { $when }, ac maen nhw'n cael eu cyfrifo eto bob { $minutes } munud.
insight-worked-at-when = { $time } ar { $date }
insight-within = Pellter sy'n cyfrif yn agos at ardal (km)
insight-download = Lawrlwytho ffigurau'r map (CSV)
insight-offers = Beth mae'r lle yn ei gynnig
insight-table-scrolls = Tabl { $number }, yn sgrolio i'r ochr ar sgriniau bach
insight-offers-caption = Gwasanaethau, sefydliadau ac oriau ar agor yr wythnos, yn ôl angen
insight-need = Angen
insight-services = Gwasanaethau
insight-organisations = Sefydliadau
insight-hours = Oriau ar agor yr wythnos
insight-with-notice = Gyda hysbysiad (llawn, rhestr aros)
insight-no-services = Does dim gwasanaethau wedi'u rhestru eto.
insight-by-need-and-area = Gwasanaethau yn ôl angen ac ardal
insight-heat-lead = Tabl gwres: po dywyllaf y gell, y mwyaf o wasanaethau sy'n diwallu'r angen yn yr ardal. Mae pob cell yn rhoi'r nifer.
insight-heat-caption = Gwasanaethau yn ôl angen ({ $needs } angen) ac yn ôl { $level } ({ $areas } ardal)
insight-asked = Beth ofynnodd pobl amdano
insight-asked-caption = Anghenion y gofynnodd pobl amdanyn nhw, yn ôl ble clywson ni amdanyn nhw
insight-searches-nothing = Chwiliadau na ddaeth o hyd i ddim
insight-raised-conversations = Wedi'u codi yn sgyrsiau cysylltwyr
insight-raised-casework = Wedi'u codi mewn gwaith achos
insight-refusals = Atgyfeiriadau a wrthodwyd oherwydd diffyg capasiti
insight-all = Y cyfan
insight-nothing-asked = Does neb wedi gofyn am ddim eto.
insight-all-needs = Pob angen
insight-gaps = Bylchau
insight-gaps-lead = Anghenion y gofynnodd pobl amdanyn nhw heb wasanaeth o fewn { $km } km i ganol ardal: { $count }
insight-first-listed = , y { $count } cyntaf wedi'u rhestru
insight-gaps-caption = Bylchau: anghenion heb wasanaeth yn agos at ardal
insight-area = Ardal
insight-overlaps = Gorgyffwrdd
insight-overlaps-lead = Anghenion sy'n cael eu diwallu gan sawl sefydliad yn yr un ardal: { $count }
insight-most-listed = , y { $count } gyda'r nifer mwyaf o sefydliadau wedi'u rhestru
insight-overlaps-not-waste = Nid gwastraff yw gorgyffwrdd bob amser; dyma lle mae'n werth gwneud cysylltiadau.
insight-overlaps-caption = Gorgyffwrdd: sefydliadau sy'n diwallu'r un angen yn yr un ardal
insight-how-many = Faint
insight-misses-lead = Geiriau chwiliadau na ddaeth o hyd i ddim, gyda'r ardal y chwiliwyd yn agos ati, dros y deuddeg mis diwethaf. Dim ond geiriau y chwiliwyd amdanyn nhw'n ddigon aml i'w cyhoeddi sy'n cael eu rhestru, felly does dim a deipiwyd gan un person yn ymddangos yma.
insight-misses-none = Dim un yn ddigon aml i'w restru.
insight-misses-caption = Chwiliadau na ddaeth o hyd i ddim, yn ôl geiriau ac ardal
insight-words = Geiriau
insight-searches = Chwiliadau
insight-anywhere = Unrhyw le
insight-level-district = ardal cod post
insight-level-sector = sector cod post
insight-level-ward = ward etholiadol
insight-level-authority = awdurdod lleol
insight-services-by-need = Gwasanaethau yn ôl angen
insight-needs-asked = Anghenion y gofynnodd pobl amdanyn nhw
insight-bad-distance = Rhaid i'r pellter fod yn nifer o gilometrau rhwng 0.5 a 100.
chart-nothing = { $title }: dim byd i'w ddangos eto.
chart-summary = { $title }: { $count } bar; y rhai mwyaf yw { $top }. Mae'r tabl wrth ymyl y siart yn rhoi pob ffigur.
figures-seeing-exact = Rydych chi'n gweld ffigurau union. Peidiwch â'u rhannu y tu allan i dîm y lle.
figures-show-published = Dangos y ffigurau cyhoeddedig
figures-show-exact = Dangos y ffigurau union
figures-leads-only = (arweinwyr lle yn unig; peidiwch â'u rhannu y tu allan i dîm y lle)

## Ffigurau (only in Welsh: the English words come from the domain)

figures-key = [c]: nifer bach, wedi'i guddio fel na ellir adnabod neb. Mae ffigurau eraill wedi'u talgrynnu i'r 5 agosaf.

# Volunteer match events
events-title = Digwyddiadau paru gwirfoddolwyr
events-lead = Nosweithiau lle mae grwpiau lleol sydd angen help yn cwrdd â phobl a hoffai roi peth. Dewch draw, sgwrsiwch â rhai, a gweld beth sy'n addas i chi. Gall unrhyw un archebu lle; does dim angen cyfrif arnoch.
events-none = Does dim digwyddiadau paru wedi'u trefnu ar hyn o bryd. Gallwch gynnig helpu gyda rôl o hyd:
events-coming = Yn dod:
events-all = Pob digwyddiad paru gwirfoddolwyr
events-host = Gwesteiwr
volunteer-events-link = Cwrdd â grwpiau lleol wyneb yn wyneb mewn digwyddiad paru gwirfoddolwyr

# What could you give? A resident's own strengths
strengths-title = Beth allech chi ei roi?
strengths-lead = Dywedwch wrthym beth rydych chi'n dda am ei wneud a beth sy'n bwysig i chi, a byddwn ni'n awgrymu rolau gwirfoddoli a grwpiau lleol sy'n addas.
strengths-skills = Beth rydych chi'n dda am ei wneud?
strengths-skills-hint = Er enghraifft: gyrru, coginio, gwrando. Rhowch goma rhyngddyn nhw.
strengths-passions = Beth sy'n bwysig i chi neu beth rydych chi'n ei fwynhau? (dewisol)
strengths-passions-hint = Er enghraifft: garddio, anifeiliaid, pobl hŷn
strengths-availability = Pryd rydych chi'n rhydd? (dewisol)
strengths-availability-hint = Er enghraifft: boreau yn ystod yr wythnos, dydd Sadwrn, gyda'r nos
strengths-not-kept = Dydyn ni ddim yn cadw'r hyn rydych chi'n ei deipio yma: dim ond i ddod o hyd i awgrymiadau ar y dudalen hon y caiff ei ddefnyddio.
strengths-find = Awgrymu rolau a grwpiau
strengths-roles = Rolau a allai fod yn addas i chi
strengths-no-roles = Does dim rolau agored yn cyfateb i'r geiriau hynny eto. Rhowch gynnig ar eiriau eraill, neu gweler
strengths-groups = Grwpiau y gallech ymuno â nhw neu eu helpu
strengths-no-groups = Does dim grŵp lleol yn cyfateb i'r geiriau hynny eto. Gallech chi
strengths-start-group = ddechrau un
strengths-group-needs = Yn chwilio am wirfoddolwyr
strengths-say-something = Dywedwch wrthym o leiaf un peth rydych chi'n dda am ei wneud neu sy'n bwysig i chi
strengths-too-many = Mae hynny'n llawer ar unwaith: dewiswch hyd at 12 o bob un, gyda choma rhyngddyn nhw
volunteer-what-fits-link = Ddim yn siŵr beth i chwilio amdano? Dywedwch wrthym beth rydych chi'n dda am ei wneud

# Emails to residents, in the language they booked or applied in
email-hello = Helo { $name },
email-add-to-calendar = Ychwanegwch hi at eich calendr: { $link }
training-where-both = { $place }, neu ar-lein: { $link }
training-where-online = Ar-lein: { $link }
training-where-unknown = i'w gadarnhau
email-booking-when = Pryd: { $when }
email-booking-where = Ble: { $where }
email-booking-trainer = Hyfforddwr: { $name }
email-booking-host = Gwesteiwr: { $name }
email-booking-what-training = sesiwn hyfforddi
email-booking-what-event = digwyddiad paru gwirfoddolwyr
email-booking-waiting-subject = Rydych chi ar y rhestr aros: { $title }
email-booking-waiting-opening = Mae'r sesiwn yn llawn, felly rydych chi ar y rhestr aros. Os daw lle yn rhydd, y person cyntaf sy'n aros sy'n ei gael, a byddwn yn anfon e-bost atoch ar unwaith.
email-booking-promoted-subject = Mae lle wedi dod yn rhydd i chi: { $title }
email-booking-promoted-opening = Newyddion da: mae rhywun wedi canslo a chi oedd gyntaf ar y rhestr aros, felly chi sydd â'r lle.
email-booking-booked-subject = Mae eich lle wedi'i archebu: { $title }
email-booking-booked-opening = Diolch am archebu. Mae eich lle wedi'i gadarnhau.
email-booking-cancel = Os na allwch ddod, canslwch os gwelwch yn dda fel y gall rhywun arall gael y lle:
email-booking-reminder-subject = Nodyn atgoffa: { $title }, { $when }
email-booking-reminder-opening = Nodyn i'ch atgoffa am eich { $what }:
email-booking-reminder-cancel = Os na allwch ddod wedi'r cyfan, canslwch os gwelwch yn dda fel y gall rhywun arall gael y lle:
fund-email-submitted-subject = { $site }: mae eich cais i { $round } wedi cyrraedd
fund-email-submitted-body = Diolch: mae eich cais i { $round } wedi ein cyrraedd. Byddwn yn dweud wrthych beth a benderfynir.
fund-email-where-it-stands = Gallwch weld sut mae'n sefyll yma: { $link }
fund-email-draft-subject = { $site }: eich cais drafft i { $round }
fund-email-draft-body = Mae eich cais drafft i { $round } wedi'i gadw. Defnyddiwch y ddolen hon i ddod yn ôl ato a'i anfon pan fydd yn barod. Cadwch hi i chi'ch hun: gall unrhyw un sydd â hi weld a newid eich cais.
fund-email-funded-subject = { $site }: mae eich cais i { $round } wedi'i ariannu
fund-email-funded-body = Newyddion da: mae { $round } wedi dyfarnu { $amount } i chi.
fund-email-why = Pam: { $reasons }
fund-email-funded-monitoring = Ymhen chwe mis byddwn yn gofyn sut aeth pethau. Gallwch ddweud wrthym unrhyw bryd yma: { $link }
fund-email-declined-subject = { $site }: eich cais i { $round }
fund-email-declined-body = Diolch am wneud cais i { $round }. Y tro hwn nid yw wedi'i ariannu.
fund-email-monitoring-subject = { $site }: sut aeth pethau?
fund-email-monitoring-body = Chwe mis yn ôl rhoddodd { $round } grant i chi. Dywedwch wrthym mewn ychydig eiriau sut aeth pethau; mae'n cymryd dau funud:
asset-email-request-subject = Mae eich cais gennym: { $title }
asset-email-request-body = Diolch: mae eich cais i ddefnyddio { $title } wedi mynd at ei berchennog, a fydd yn eich ateb cyn bo hir.
asset-email-you-asked = Gofynnoch am:
asset-email-approved-subject = Mae eich archeb wedi'i chymeradwyo: { $title }
asset-email-approved-body = Newyddion da: mae eich archeb o { $title } wedi'i chymeradwyo.
asset-email-hire-terms = Telerau llogi: { $terms }
asset-email-none-given = dim wedi'u rhoi
asset-email-declined-subject = Gwrthodwyd eich cais i archebu: { $title }
asset-email-declined-body = Mae'n ddrwg gennym: gwrthodwyd eich cais i ddefnyddio { $title }.
asset-email-reason = Y rheswm a roddwyd: { $reason }
asset-email-elsewhere = Efallai y dewch o hyd i amser neu le arall yn { $link }
