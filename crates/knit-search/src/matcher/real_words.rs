//! Real English words that sit one typing slip away from a vocabulary word. They are
//! never "corrected": "cancel" is not a misspelling of "cancer", nor "spoke" of "smoke".
//!
//! Generated from SCOWL (the `british-english-small` list): every word of five letters
//! or more within one edit of a vocabulary word or its stem, and not itself matched by
//! stem. Regenerate it when the vocabulary grows. SCOWL is Copyright 2000-2011 by Kevin
//! Atkinson: "Permission to use, copy, modify, distribute and sell these word lists, the
//! associated scripts, the output created from the scripts, and its documentation for any
//! purpose is hereby granted without fee, provided that the above copyright notice appears
//! in all copies and that both that copyright notice and this permission notice appear in
//! supporting documentation. Kevin Atkinson makes no representations about the suitability
//! of this array for any purpose. It is provided "as is" without express or implied
//! warranty."

use std::collections::HashSet;
use std::sync::LazyLock;

static WORDS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| REAL_WORDS.split_ascii_whitespace().collect());

pub(crate) fn is_real_word(word: &str) -> bool {
    WORDS.contains(word)
}

const REAL_WORDS: &str = "\
abide abort aborted aborting abortion abortions abortive aborts abound abounded abounding \
abounds above accede acceded accedes acceding accentuate accentuated accentuates \
accentuating accidental accidentally accidentals aching acing acrid acrider adept adepts \
admit admits admitted admittedly admitting adopt adopted adopting adoption adoptions \
adopts advisable advise advised adviser advisers advises advising advocate advocated \
advocates advocating afterlives agencies agency aglow agonise agonised agonises agonising \
aground allay allayed allaying allays allocate allocated allocates allocating allocation \
allocations alloy alloyed alloying alloys along alter alterable alteration alterations \
altered altering alters amply amuse amused angel angelic angels angler anglers another \
anteater anteaters antonym antonyms appal appalled appalling appallingly appals appear \
appearance appearances appeared appearing appears appease appeased appeasement \
appeasements appeases appeasing appetiser appetisers appetising apple appointee appointees \
apter aptly arthritic arthritics ascent ascents ashed ashen askew asses assets atone \
attach attached attaching attachment attachments attention attentions attentive \
attentively auction auctioned auctioneer auctioneers auctioning auctions audit audited \
auditing audition auditioned auditioning auditions audits awaken awakened awakening \
awakens aware awoke babes babier babiest bacterial badger badgered badgering badgers baggy \
bails balding balds baled bales baling balking balks balms bandying banging bangs banning \
bards barge barking barks barley barns baser bashed basked basking basks basted batter \
battered battering batters batting battle battled battles battling bawling bawls bayed \
baying beading beads beaks beams beans beard bearded bearding beards bears beast beasts \
beater beaters became beech beeches beets belch belched belches belching bellied bellies \
bells belly bellying belting belts bench benched benches benching bents besting bests \
betray betrayal betrayals betrayed betraying betrays bettor bettors biased biding binding \
binds bitter bitterer bitterly bitterness bland blank blanked blanker blankest blanking \
blankly blanks bleach bleached bleaches bleaching bleak bleats bleed bleeding bleeds blent \
blink blinked blinking blinks block blocked blocking blocks blond blonde blondes blonds \
bloodied bloodies bloody bloodying bloom bloomed blooming blooms blown blued bluer bluest \
blurs boars boats boded boding boiled boiling boils bonding boned boning booby booed \
booing bookmark bookmarked bookmarking bookmarks booming bootee bootees bootie booties \
booting booty bother bothered bothering bothers bowed bowels bowing bowler braid braided \
braiding braids brainy braise braised braises braising brake braked brakes braking \
branding brassy brats brawn breach breached breaches breaching bread breaded breading \
breads breadth breadths bride brides bridle bridled bridles bridling brine brink brinks \
briny brisk brisked brisking briskly brisks broiler broilers broker brokered brokering \
brokers brood brooded brooding broods brownie brownies brows browse browsed browses \
browsing brunt brutish budding budge budged budges bugger buggers bugled built bulky \
bulled bulling bulls bungle bungled bungles bungling bunking bunks burble burbled burbles \
burbling buried burner burners burped burred burrow burrowed burrowing burrows burst \
bursted bursting bursts bushes busts butter buttered buttering butters buttery cabled \
cabling caged cages caging caked cakes caking calculi calfs callus callused calluses \
callusing calmed calmer calming calms camps cancel cancellation cancellations cancelled \
cancelling cancels caned canes caning canker cankered cankering cankers cannon cannoned \
cannoning cannons canter cantered cantering canters caped caper capered capering capers \
capes capital capitalism capitals caption captioned captioning captions caress caressed \
caresses caressing carped carpenter carpentered carpentering carpenters carping carps \
carted carting carts cassino cassinos casts cater catered caterer caterers catering caters \
caved caves caving cawed cawing cease ceasing celebrate celebrated celebrates celebrating \
celebration celebrations celebrities celebrity cents certain certainly certified certifies \
certify certifying chafe chafed chafes chafing chain chained chaining chains chance \
chanced chances chancing chant chanted chanting chants charger charitable charitably charm \
charmed charming charms charred chars chart charted charting charts chasm chasms chaste \
cheap cheapness cheek cheeked cheeking cheeks cheese cheesed cheeses cheesing chefs chews \
chick chicks chides chill chilled chilling chills chime chimed chimes chiming chinks chins \
choice choices choral chorals chore chores chose chowed christmases chronicle chronicled \
chronicles chronicling chuckle chuckled chuckles chuckling chunk chunks cinder cindered \
cindering cinders clack clacked clacking clacks clamming clams clang clanged clanging \
clangs clans claps claret clarity clasp clasped clasping clasps classy clause clauses \
claws cleanse cleansed cleanser cleansers cleanses cleansing clearer cleat cleats cleave \
cleaved cleaver cleavers cleaves cleaving click clicked clicking clicks clime climes cloak \
cloaked cloaking cloaks clone clones closer closet closeted closeting closets clots \
clotting clove clover clovers cloves cluck clucked clucking clucks clues clutch clutched \
clutches clutching coals coarse coarsely coarseness coast coasted coasting coasts cocked \
cocking coffer coffers coherence coherent coherently coined coked cokes coking collage \
collages collars collegiate colts comas combing combs comestible comestibles comet comets \
commutative commute commuted commuter commuters commutes commuting compatibility \
compatible compatibles compels compete competed competence competences competent \
competently competes competing computerise computerised computerises computerising concede \
conceded concedes conceding concert concerted concerting concerts condemns cones confers \
connotation connotations connote connoted connotes connoting constancy constituencies \
constituency constituent constituents consul consulate consulates consuls consumerism \
consummate consummated consummates consummating contractual contraption contraptions \
contrast contrasted contrasting contrasts convection convent convention conventional \
conventionally conventions convents converge converged convergence converges converging \
conveys cooing cooler coolers cooling cooper cooperate cooperated cooperates cooperating \
cooperation cooperative cooperatives cooping copping copulate copulation copying cords \
cored cores coring corked corking corned corral corralled corralling corrals cough coughed \
coughing coughs count counted counting counts coups courser covenant covenanted \
covenanting covenants covert covertly coverts coves covet coveted coveting covetous covets \
cower cowered cowering cowers cowing coyer cracker crackers crackle crackled crackles \
crackling crank cranked cranking cranks crash crashed crashes crashing crass crating \
craving craze crazed crazes crazing cream creamed creaming creams create created creates \
creating crest crested cresting crests cribs cringe cringed cringes cringing crises crisp \
crisped crisping crisps crispy crock crocks crofts crooking croon crooned crooning croons \
crotch crotches crouch crouched crouches crouching crowed crown crowned crowning crowns \
crows crunch crunched crunches crunching culled culling culls curds cured cures curing \
curried curries curry currying curse curses curtail curtailed curtailing curtails curving \
cysts dancer dancers dares darns dawns deader deafer dearer dearth dearths deathbed \
deathbeds debase debased debasement debasements debases debasing debits debuts decay \
decayed decaying decays decent decently decode decoded decoder decodes decoding decoy \
decoyed decoying decoys decree decreed decreeing decrees dedicate dedicated dedicates \
dedicating dedication dedications deduce deduced deduces deducing deeper defter deliberate \
deliberated deliberately deliberates deliberating deliberation deliberations delicate \
delicately delis deliverance deliveries delivery demented dents depart departed departing \
department departments departs depot depots depth depths derivation derivations derivative \
derivatives derive derived derives deriving detect detectable detected detecting detection \
detective detectives detects deter deterred deterring deters detest detested detesting \
detests detonate detonated detonates detonating detonation detonations detonator \
detonators development developments devil devilled devilling devils devise devised devises \
devising diagnostic diagnostics diameter diameters differential differentiate \
differentiated differentiates differentiating differentiation diner diners dinned direst \
discord discordant discorded discording discords distant distantly ditties ditty diving \
dodge doling domes dominance dominant dominants dominate dominated dominates dominating \
domination doming doping dosing doting double doubled doubles doubling downy dozing drags \
dramatic dramatically drank draping drawling drawn dregs dressy drier driers dripped \
drivel drivelled drivelling drivels driven driver drivers droning drooped dross drought \
droughts drove droves drowse drowsed drowses drowsing drunker drying duets dumpling \
dumplings dumpy dunce dunces duress dyeing dyking eager eagerer eagerly eagerness earls \
easing easter easterlies easterly easters ecstatic edict edicts eight eighth eighths \
eights elect elected electing election elections elective electives elector electoral \
electorate electorates electors elects embroider embroiders emergent employee employees \
emptier endanger endangered endangering endangers enter entered entering enters entities \
entity environment environments equine equines equitable escalate escalated escalates \
escalating escalation escalator escalators evens eventual eventualities eventuality \
eventually excel excelled excellence excellent excellently excelling excels exclusion \
exclusive exclusively exclusives expediencies expediency expedient expedients experienced \
experiencing expert expertly experts expiry facetious facial facials faculties faculty \
fades farces farms farther faster fates fatter fazes feather feathered feathering feathers \
fellow fellows fended fending fends fester festered festering festers fetter fettered \
fettering fetters feuding fibre fiend fiends filed files filing filming filter filtered \
filtering filters finer finesse finessed finesses finessing firmed firms fiver flail \
flailed flailing flails flake flaked flakes flaking flame flamed flames flaming fleecing \
fleeting flesh fleshed fleshes fleshing flexing flight flights flooder flour floured \
flouring flours foams foiling folds folksy foray forayed foraying forays forceps forded \
fords fores foresee foreseeable foreseeing foresees forewent forge forged forger forgers \
forges forgo forgoes forgoing forgone forked forks formulate formulated formulates \
formulating formulation formulations forte forth fortification fortifications forts \
fortuitous forums founded founding founds foxed foxing fragile fragility franc francs \
freed freer fried friendliness frieze friezes fright frighted frightful frightfully \
frighting frights fringe fringed fringes fringing fritter frittered frittering fritters \
fruity funner gable gales galley galleys gamer gamest gangling gapes gaping garble garbled \
garbles garbling gases gates gating gazes gazing gentlemen giant giants gibing glass \
glassed glasses glassing glides globule globules gloom glowing goads golds gongs goodie \
goodies goody goofs goons goring graffito graft grafted grafting grafts grams grand \
grandly grands granite grasp grasped grasping grasps grassy grease greased greases \
greasing greed greek greeks greet greeted greeting greetings greets grocer grocers groove \
grooved grooves grooving groping gross grossed grosses grossing grouse groused grouses \
grousing growling grunt grunted grunting grunts guilt guises gutting hacker hackers haling \
halting halving hamming handler handlers handsful hanger hangers harder hardiest hardy \
harems hares haring harked harking harks harping harps harts harvest harvested harvester \
harvesters harvesting harvests hasting hatting haunt haunted haunting haunts hawked haying \
hazing heady healing heaping heaps hearse hearses hearth hearths hearties hearty heath \
heave heaving helms herein heroic heron herons herring herrings hinds hinging hinting \
hiving hoarse hoarseness hoarser hobbit hobble hobbled hobbles hobbling hocked holes homey \
homeys homies hones hooter hooves hopes hording horse horsing hoses hosing hosted hostile \
hostiles hostility housewives hovel hovels hover hovered hovering hovers huger hunter \
hunters hurling hurls hurtle hurtled hurtles hurtling identify illogical improbabilities \
improbability improbable improbably improper improperly incest incidental incidentally \
incidentals incision incisions incisive incite incited incitement incitements incites \
inciting indent indentation indentations indented indenting indents indorse indorsed \
indorsement indorsements indorses indorsing infect infected infecting infection infections \
infects infuriate infuriated infuriates infuriating ingest ingested ingesting ingests \
injure injured injures injuring inside insider insiders insides insolence insolent \
insolvency insolvent insolvents insult insulted insulting insults insurance insurances \
insure insured insurer insurers insures insuring intact international internationally \
internationals interne interned internes invest invested investing investment investments \
invests itemise itemised itemises itemising jangle jangled jangles jangling jealousies \
jealousy jeweller jewellers jigging jingle jingled jingles jingling jugging juggle juggled \
juggles juggling keeling keels keening keens killer killers kilned kilning kilns kilts \
kinked kinking kinks knickers knives knocker knockers knotting lacerate lacerated \
lacerates lacerating laceration lacerations lacked lacks ladder laddered laddering ladders \
lamer lander lanes larded larger laser lasers lashing lasses latex lather lathered \
lathering lathers latter laxer layer layered layering layers laying leader leaders leading \
leads leafing leafs leafy leaner leaning leans leaping leaps learnt leash leashed leashes \
leashing least leeks lefter lesion lesions lessen lessened lessening lessens levee levees \
lever levered levering levers lewder liberal liberalism liberally liberals liberate \
liberated liberates liberating liberation license licensed licenses licensing licked licks \
lifelike lightning lightnings liker lilts limes liming linen liner liners linger lingered \
lingering lingers links literal literally literals literary literate literates lither \
littler liven livened livening livens livest loads loafs loaves locker lockers locket \
lockets lodger lodgers logger logic logical logically loins longevity loomed looming loons \
looped looping loosed looses loosing looted looting loping louses lovelier loveliness \
lover lovers loyal loyaler loyaller lucked lucks lucky lurch lurched lurches lurching \
lusting lynch lynched lynches lynching maced maces macing maker makers males manes mange \
mares marital marking marring masking massed massing material materialism materials mattes \
matts maximise maximised maximises maximising maxims maximum maximums mazes mealy meaning \
meanings means measles meats medals meddle meddled meddles meddling media median medias \
meditate meditated meditates meditating meditation meditations melting memoir memoirs \
memorable memorably memorise memorised memorises memorising menial menials meowing metal \
metallic metals meted meteor meteoric meteors metes meting metre mewing middle middles \
midwived midwives midwiving mighty migrant migrants mikes miking mills mimes minced \
mindedness mined miner mineral minerals miners mines minted minuet minuets minus minuses \
mires miseries misery misled misted mister misting misuse misused misuses misusing mites \
mixed mixer mixers mixes moaning modest modestly moles monkey monkeyed monkeying monkeys \
mooed mooing mooning moped moping moths motif motifs moult moulted moulting moults mound \
mounded mounding mounds mourning mouth mouthed mouthful mouthfuls mouthing mouths mover \
movers muddied muddies muddy muddying mugger muggers mules multiplied multiplies multiply \
multiplying mussed mussing muter mutes myths napes nasal nasals nattier natty naturalist \
naturalists naval nearly necked needle needled needles needling needy neuroses neurotic \
neurotics neutron neutrons newer niceties nicety nickel nickels nippy noose notching \
nothingness notification notifications novice novices numeral numerals numerate numerator \
numerators numeric numerical numerically numerous nutritious occur occurred occurring \
occurs odder official officially officials officiate officiated officiates officiating \
officious oking olden organic organics organism organisms organist organists organs otter \
otters outdid overdo overdoes overdoing overdone overdraw overdrawing overdraws overgrow \
overgrowing overgrows overlaid overlay overlaying overlays overstated paced pacing packer \
packers paddle paddled paddles paddling pager paging painter palace palatable palate \
palates paled paler paling palls paltry pamper pampered pampering pampers pansies pansy \
pantie panties panting pants panty paralysis paralytic paralytics paranoia parch parched \
parches parching pares paring parity parka parkas parring parse parsed parsing parson \
parsons particle particles parting partition partitioned partitioning partitions partly \
parts passer pasted pasties pasting pastries pastry pasts pasty patchy patent patented \
patenting patently patents patience patrol patrolled patrolling patrols patties patting \
patty paunch paunches pauper paupers paused paving pawing payer payers peace pecked \
pecking pedant pedantic pedants pennant pennants peonies peony pepping perking perks \
permutation permutations persona perter pester pestered pestering pesters pests pettiness \
petting petty pewter pewters phonetic phonetics phoney phoneys phonied phonies phony \
phonying photograph photographed photographer photographers photographic photographing \
photographs photon photons picket picketed picketing pickets pickle pickled pickles \
pickling piked piking pilot piloted piloting pilots pined pines pining pinked pinking \
pinks piped piping pirate pirated pirates pirating pitch pitched pitches pitching pitting \
plaice plane planed planes planet planets planing plank planked planking planks plate \
plated plates plating pliant plied plopping plotting plying pocket pocketed pocketing \
pockets poets pointer pointers poising poison poisoned poisoning poisonous poisons poked \
pokes pokey pokier poking poled policies policy poling polio polios polite politely \
politeness politer political politically politics polls ponds pooping poring porthole \
portholes porting ports potion potions potter pottered pottering potters pounce pounced \
pounces pouncing pouting pouts powder powdered powdering powders praying preparation \
preparations prepare prepared prepares preparing presence presences pretence pretences \
pretension pretensions pricked pricking primate primates prince princes produce produced \
producer producers produces producing profess professed professes professing profession \
professions prone propel propelled propeller propellers propelling propels propping \
prosper prospered prospering prosperity prosperous prospers protest protestant protestants \
protested protesting protests proved provision provisioned provisioning provisions prowess \
prying psychoses pulls pulse punting punts pupping puree purge pursue pursued pursues \
pursuing pusher pushers pusses puttied putties putty puttying qualitative qualities \
quality quill quills raciest racism racking radial radials radiant rafting raged raging \
raiding raids raining rains raisin raisins raked raking rallied rallies rally rallying \
ranging ranted ranting rapid rapider rapidity rapidly rapids rapist rapists rapped rasped \
rasps ratty raved raving razed razing react reacted reacting reacts reals realty reaming \
reams reaped reaping reaps rearing rears rebate rebated rebates rebating recap recapped \
recapping recaps recipient recipients recital recitals recitation recitations recite \
recited recites reciting recognition reconsider reconsiders recoups recover recoverable \
recovered recovering recovers recurs recursion recursive recursively redid redress \
redressed redresses redressing reeds refrain refrained refraining refrains refutation \
refute refuted refutes refuting regain regained regaining regains regimen regimens \
registration registrations regrets relax relaxation relaxations relaxed relaxes relaxing \
relay relayed relaying relays relied relies relieve relieved relieves relieving reluctance \
reluctant reluctantly remainder remainders remote remotely remoter remotes rending rends \
renovate renovated renovates renovating renovation renovations repaid reparation repeal \
repealed repealing repeals repent repentance repentant repented repenting repents replay \
replicate replicated replicates replicating replication repress repressed represses \
repressing repression repressions repressive residential residual residuals residue \
residues resin resins resist resistance resistances resistant resisted resisting resists \
resonance resonances resonant resort resorted resorting resorts respiration respirator \
respirators respond responded responding responds rested resting restraint restraints \
retain retained retainer retainers retaining retains retch retched retches retching \
reticence reticent retort retorted retorting retorts retries retry reuse reused reuses \
reusing ribbed ribbing ricing ridging rigging rinsing rising roach roaches roads robber \
robbers robed robing roman romantic romantically romantics romps rooting rotating rotund \
rouge routing rubbed rubbing ruining rumps rutting sacred saint saintly saints salving \
sanding sanitaria sapped sapping sashes satire satires satirical scabbed scabs scale \
scaled scales scaling scamper scampered scampering scampers scarce scarcely scarf scarfed \
scarfing scarfs scarred scars scarves scary schemer schemers schizophrenic scoot scooted \
scooting scoots scope scoped scopes scoping scorer scorn scorned scornful scorning scorns \
scour scoured scouring scours scram scrammed scramming scrams scratchy scummed scums \
sealed sealing seamed seams seared searing sedan sedans sedated seedling seedlings seedy \
seeping seeps sensor sensors server servers servile setter setters settler settlers \
seventh sevenths shack shacks shade shaded shades shading shaken shaky shall shame shamed \
shameful shamefully shames shaming shammed shams sharp sharped sharping sharpness sharps \
shave shaved shaves shaving shear sheared shearing shears sheep shell shelled sheller \
shelling shells shies shingle shingled shingles shingling shipped shipping shire shirk \
shirked shirking shirks shirt shirted shirting shirts shoed shone shooing shoos shoot \
shooting shoots shore shored shores shoring shorn shots shoves shoving showier shown showy \
shreds shuck shucked shucking shucks shutter shuttered shuttering shutters shying sides \
sifting sighed sighs signer sills silting sincere sincerely sincerer sincerity sinking \
sinned sinning sipped sipping sires sitter sitters sixes sixties sixty sizes skater \
skaters sketchy skewing skimming skimped skimping skipper skippered skippering skippers \
skirt skirted skirting skirts skulk skulked skulking skulks skull skulls skying slabbed \
slabs slack slacked slacking slacks slake slaked slakes slaking slammed slamming slams \
slash slashed slashes slashing slate slated slates slating slats slaving slaying slays \
sleds sleek sleeked sleeker sleeking sleeks sleepier sleepy sleet sleeted sleeting sleets \
sleeve sleeves slewing slice sliced slices slicing slick slicked slicking slicks slight \
slighted slighting slightly slights sling slinging slings slipper slippers slits slitting \
slobs slogs slopped slopping slops sloth slothful sloths slower slowing slows slugs \
slumming slums slunk sluts smarter smear smeared smearing smears smell smelled smelling \
smells smites smock smocked smocking smocks smokier smoky smote snack snacked snacking \
snacks snake snaked snakes snaking snare snared snares snaring sneak sneaked sneaking \
sneaks sniff sniffs snipped snipping snitch snitched snitches snitching snore snored \
snores snoring snort snorted snorting snorts snots snout snouts snowing snows snuck \
soaking soaps soared soaring sociable sociables socialist socialists socked sodas \
solicitous sopped sopping sorer sours sowing spacial spade spaded spades spading sparer \
spark sparked sparking sparks spars sparse sparsely spate spaying spear speared spearing \
spears speck specked specking specks speedy spelt spent spewed spewing spicy spied spike \
spiked spikes spiking spill spilled spilling spills spilt spindly spine spines spiral \
spiralled spiralling spirals spire spires spite spited spiteful spites spiting splat \
splice spliced splices splicing splint splinted splinting splints spore spores spots \
spotting spout spouted spouting spouts spreed spunk spurs spurt spurted spurting spurts \
sputter sputtered sputtering sputters spying stabled stack stacked stacking stacks staff \
staffs stage staged stages staging staid stain stained staining stains stake staked stakes \
staking stale staled staler stales staling stall stalled stalling stalls stance stances \
stank starch starched starches starching stare stared stares staring stark starker starred \
starring stars startle startled startles startling startlingly stater statue statues \
stature statures statute statutes stave staved staves staving steak steaks steam steamed \
steaming steams steel steeled steeling steels steep steeped steeper steeping steeps stems \
sterling stewing stickies sticky stiffed stifle stifled stifles stifling stilted sting \
stinging stings stink stinking stinks stint stinted stinting stints stirs stitch stitched \
stitches stitching stock stocked stocking stockings stocks stoke stoked stokes stoking \
stole stoles stomp stomped stomping stomps stoney stooped stooping stoops stopper \
stoppered stoppering stoppers storey storeys stories stork storks storm stormed storming \
storms story stout stove stoves stowing stows straggle straggled straggles straggling \
strand stranded stranding strands strange strangely strangeness strangulation straying \
stream streamed streaming streams strews strike strikes striking strikings stript strode \
strove struck stubbed studding studio studios studs stuff stuffed stuffs stunk sturdy \
substance substances substantial substantially substantiate substantiated substantiates \
substantiating sucked suckle suckled suckles suckling suction suctioned suctioning \
suctions sugarier sugary suites summonsed summonses summonsing sundae sundaes sundry \
supple suppler surged surging suspense suspension suspensions swabbed swaying sweat \
sweating sweats sweep sweeper sweepers sweeping sweepings sweeps swell swelled swelling \
swellings swells swept swerve swerved swigs swill swilled swilling swills swine swines \
swore swung tacking tacks taker takers tales taller tallied tallies tally tallying tames \
taming tamper tampered tampering tampers tanker tankers tanking tanks tapes taping tapping \
tasking tasks teaks teats teems temperament temperaments temporal tenacity terrific testis \
thank thanked thankful thankfully thanking thanks theme themes these theses thick thicket \
thickets thickly thickness thicknesses thinning thins thong thongs thorough thorougher \
thoroughly though thread threaded threading threads throat throats throb throbbed \
throbbing throbs ticked tided tiled tings tinny tirade tirades tireder toddle toddled \
toddles toiled token tokens tolls torch torched torches torching touchy tough toughness \
toughs towed tower towered towering towers trace traced traces tracing tract tracts trader \
traders trail trailed trailing trails trainee trainees trait traits trance trances \
transcend transcended transcending transcends traps traumatic trays treacherous treat \
treated treating treats treed treks trellis tribulation tribulations tribute tributes \
trick tricked tricking tricks trios tripe triple tripled triples tripling tripos trough \
troughs trowel trowelled trowelling trowels truck trucked trucking trucks trues truing \
tsars tumbler tumblers tuned tuning turfed turfing turfs turner twinge twinged twingeing \
twinges twinging tying tzars udder udders underpants underrate underrated underrates \
underrating underwent undone unfailing unfilled uninformative uninformed unison unload \
unloaded unloading unloads unrelated unrelenting unsaid unset unskilled untie untiring \
unwilling unwittingly usable vanes vases vices villa villas violet violets vises vistas \
vouched vouches wades wafer wafers wafting wafts wager wagered wagering wagers wailing \
wails waiter waiters waiving walker walkers wands wanes waning wanner wards warts wasting \
waterier watery watts waver wavered wavering wavers waves waxes weaving weeps weigh \
weighed weighing weighs weighty welder welders whale whaled whales whaling wheedle \
wheedled wheedles wheedling wheeze wheezed wheezes wheezing whereas wherever whets while \
whiled whiles whiling whine whined whines whining whiten whitened whitening whitens whiter \
wholesaled wholesaling whore whores whose wider wilier wingers winner winners winterier \
wintery wiper wipers wises witch witched witches witching withdraw withdrawal withdrawals \
withdrawing withdraws witless wives wizes woken wonder wondered wonderful wonderfully \
wondering wonders woodies woody woofs wordy wormed worming worms worse wound wounded \
wounding wounds woven wrapper wrappers wreak wreaked wreaking wreaks wrier wright wring \
wringing wrings writhe writhed writhes writhing writs wrote wrung yearling yearlings yearn \
yearned yearning yearnings yearns";
