# Knit's public pages, in English. Every message here has a Welsh twin in ../cy/public.ftl
# (a test fails otherwise). Service content from the directory is not translated here: it
# keeps its own language.

## The layout

skip-to-content = Skip to main content
exit-page = Exit this page
exit-hint = Leave quickly: this opens a weather page.
language-switch-label = Read this page in
footer-lists-help = { $site } lists local help. If you are in danger now, call 999. If you need to talk, Samaritans answer day or night on 116 123, free.
footer-privacy = This site sends nothing to anyone else. It sets no cookies, except one that remembers your language if you choose it, until you close the browser.

## Shared words

there-is-a-problem = There is a problem
back-to-directory = Back to the directory
go-home = Go to the home page
page-not-found = Page not found
something-went-wrong = Sorry, something went wrong
something-went-wrong-text = Something went wrong on our side; please try again in a minute.
no-such-page = We couldn't find that page.
free = Free
next-open = Next open: { $when }
search-button = Search
what-do-you-need = What do you need help with?
postcode-or-town = Postcode or town (optional)
in-danger-call-999 = If you are in danger now, call 999.
too-many-sends = You have sent this form several times in the last hour. To keep it working for everyone, please try again later, or call the number on our home page.

## Home

home-title = Find local help
home-heading = Find help near you
home-lead = Search { $count } local services, groups and helplines in { $area }.
home-search-hint = For example: food, debt, feeling lonely, somewhere to stay
home-not-sure = Not sure what to search for?
home-tell-us-link = Tell us what's going on in your own words
home-tell-us-rest = and we'll suggest help.
home-call-back-or = Or
home-call-back-link = ask for a call back
home-call-back-rest = : a coordinator can talk it through with you, free. Professionals can
home-refer-link = refer someone
home-help-heading = Lend a hand, or join in
home-help-volunteer-link = Volunteer
home-help-volunteer-rest = with a local group: roles for a few hours a month, some for someone new or getting back on their feet.
home-help-connector-rest = : a short training, then help neighbours find what's around them.
home-help-whats-on-link = What's on
home-help-whats-on-rest = this week at community hubs and groups near you.
home-browse = Browse by need

## Results

results-title = Search results
results-for-words = for “{ $words }”
results-for-need = for { $need }
results-near-place = near { $place }
results-problem = There is a problem with your search
distance-under-tenth = Less than 0.1 miles away
distance-miles = { $miles } miles away
why-mentions = mentions { $words }
why-helps-with = helps with { $need }
search-unreadable-address = The address has characters we can't read. Please type your search again.
results-picked-up = We picked up:
results-filters = Filter results
results-age = Age
results-age-hint = The age of the person who needs help
results-free-only = Free only
results-day = Day
results-any-day = Any day
results-open-now = Open now
results-how-to-get-help = How to get help
results-any-way = Any way
results-delivery = How it's delivered
results-any = Any
results-apply = Apply filters
results-none = No services match. Try fewer words or filters, or
results-none-link = browse by need
results-why = Why this result: { $why }
results-pages = Pages of results
results-previous = Previous page
results-next = Next page
results-page-of = Page { $page } of { $pages }
results-count =
    { $count ->
        [0] No services found
        [one] One service found
       *[other] { $count } services found
    }
distance-km = { $km } km away

## A service

service-search-again = Search again
service-run-by = Run by { $organisation }
service-helps-with = Helps with: { $needs }
service-how = How to get help
service-contact = Contact
service-phone = Phone:
service-email = Email:
service-website = Website:
service-no-contact = No contact details are listed.
service-when = When it's open
service-no-times = Opening times are not listed. Contact them to ask.
service-where = Where
service-online = Online:
service-directions = Directions on OpenStreetMap
service-access = Access: { $access }
service-covers = Covers: { $areas }
service-who = Who it's for
service-languages = Languages: { $languages }
service-interpreters = Interpreters: { $interpreters }
service-cost = Cost
service-last-checked = Last checked: { $date }
service-report = Report a problem with this page
service-report-what = What is wrong?
service-report-hint = For example, the times have changed or the phone number doesn't work. Please don't include personal details.
service-report-send = Send report
service-not-found = We couldn't find that service. It may have closed or moved.

## Tell us what's going on

tell-us-title = Tell us what's going on
tell-us-lead = Say it in your own words. We'll suggest the kinds of help that fit, and local services that offer them.
tell-us-danger = If you are in danger now, call 999
tell-us-talk-today = You can talk to someone today:
tell-us-samaritans = Samaritans, any time, free:
tell-us-nothing-found = We couldn't pick out the kind of help you need from what you wrote. Try saying a little more, or
tell-us-search-link = search or browse by need
tell-us-picked-up = We picked up
tell-us-not-right = Not quite right? Change what you wrote below, or
tell-us-talk = Would you like someone to talk it through with you?
tell-us-call-back-link = Ask for a call back
tell-us-no-service = We don't list a service for this yet.
tell-us-no-service-near = We don't list a service for this near you yet.
tell-us-see-all = See all { $count } services for { $need }
tell-us-what = What's going on?
tell-us-what-hint = What you write isn't kept, and nobody else sees it. For example: “the bailiffs keep coming and I can't sleep”.
tell-us-age = Age (optional)
tell-us-find = Find help
tell-us-again = Look again
tell-us-unreadable = We couldn't read what you wrote. Please type it again.
tell-us-empty = Tell us a little about what's going on.
tell-us-too-long = Please use fewer than { $max } characters.

## Ask for a call back, and a professional's referral

call-back-title = Ask for a call back
refer-title = Refer someone to a coordinator
call-back-sent = Thank you: we will be in touch
refer-sent = Thank you: your referral has been sent
call-back-danger = If anyone is in danger now, call 999
call-back-samaritans = Samaritans answer day or night, free:
call-back-abuse-line = National Domestic Abuse Helpline, free, 24 hours:
call-back-within = A coordinator will get in touch within two working days, only in the ways you said are safe.
refer-within = A coordinator will contact the person, or you first if it is not safe to, within two working days, only in the ways they said are safe.
call-back-picked-up = From what was written we picked up: { $needs }. The coordinator will talk it through.
call-back-lead = A coordinator can talk things through with you and help you get the right help. It is free. Tell us only what you are happy to.
refer-lead = For GPs, schools, housing officers and other professionals. A coordinator sits down with the person, works out what matters to them and gets them to the right help. Only refer someone who has agreed to it.
refer-about-person = About the person
refer-about-you = About you
call-back-your-name = Your name
refer-their-name = Their name
call-back-phone = Phone
call-back-email = Email (optional)
call-back-postcode = Postcode (optional)
call-back-what = A few words about what is going on
refer-what = What is going on for them
refer-your-role = Your role
refer-your-organisation = Your organisation
refer-your-phone = Your phone
refer-your-email = Your email
call-back-consent = I agree that a coordinator keeps these details and contacts me
refer-consent = The person agreed to this referral, and that a coordinator keeps these details and contacts them
call-back-send = Ask for a call back
refer-send = Send the referral

## How it is safe to get in touch

safe-legend = How is it safe to get in touch?
safe-hint = Tick every way that is safe. If someone else might see your phone or post, leave those unticked.
safe-call = Phone calls
safe-text = Text messages
safe-voicemail = Leaving a voicemail message
safe-email = Email
safe-no-letters = Never send letters to the address
safe-times = Safe times to contact
safe-times-hint = For example: weekdays between 10 and 2
safe-code-word = A code word (optional)
safe-code-word-hint = We will say it before anything else, so you know it is really us.

## Plural forms, as the catalogue check exercises them

places-left =
    { $count ->
        [0] No places left
        [one] { $count } place left
       *[other] { $count } places left
    }

## What is wrong with a call-back or referral form

call-back-not-sent = Sorry, we could not send this just now. Please try again in a minute; nothing you typed has been lost.
call-back-too-many = We already have several requests from here in the last hour, and a coordinator will be in touch. If anyone is in danger now, call 999.
intake-no-name = Enter a name we can use, even just a first name
refer-no-name = Enter the name of the person you are referring
intake-no-way-to-reach = Tell us at least one safe way to reach you: a phone number or an email
intake-no-safe-way = Tell us how it is safe to contact you: tick call, text or email
intake-no-consent = Tick the box to say we may keep this and contact you
refer-no-consent = Tick the box to confirm the person agreed to this referral
intake-too-long = Keep it short: a few words is enough (under 2,000 characters)
intake-no-referrer-contact = Enter your own name and a phone number or email, so we can reach you about this

## A service's facts

status-temporarily-closed = Temporarily closed
status-no-longer-running = No longer running
ages-all = All ages.
ages-from = Ages { $min } and over.
ages-up-to = Ages up to { $max }.
ages-between = Ages { $min } to { $max }.
cost-ask = Ask about costs
service-no-place-remote = This service works by phone or online.
service-no-place-unpublished = The address is not published. Contact them to find out where to go.
service-checked-long-ago = { $date } (over a year ago: check with them before you go)
service-promise-window = (from the last 90 days).
service-never-checked = not recorded

## When a service next opens

when-today = today
when-tomorrow = tomorrow
when-at = { $day } at { $time }

## Local Connectors and training

connector-title = Become a Local Connector
connector-does = What a connector does
connector-does-listen = Listens, in the conversations you already have: at the school gate, in the shop, at the bus stop.
connector-does-point = Points people to local help: groups, services and activities.
connector-does-postcards = Hands out postcards with the website and a coordinator's contact.
connector-does-pass = With the person's say-so, passes them to a coordinator who can help more.
connector-does-note = Notes each conversation on their phone in a few seconds, with no names, so the town knows what people need.
connector-does-not = What a connector doesn't do
connector-not-advice = Give advice or counselling, or fix things for people.
connector-not-keep = Keep anyone's name, number or story.
connector-not-visit = Visit people at home, or take on a caseload.
connector-training-time = Training takes about an hour, and a short refresher once a year.
connector-sign-up = Sign up
email-address = Email address
phone-optional = Phone number (optional)
connector-area = Your area
connector-area-hint = A neighbourhood, village or street name is enough.
connector-heard-from = How did you hear about Local Connectors? (optional)
connector-sign-up-button = Sign up and choose a training session
connector-lead = Local Connectors are people who live or work in { $area } and know what help there is. When a neighbour, a customer or a friend mentions something that is getting them down, you listen, and point them to help.
choose-training = Choose a training session
connector-thanks = Thank you for signing up, { $name }
seats-left =
    { $count ->
        [one] 1 place left
       *[other] { $count } places left
    }
training-full-join = Full: join the waiting list
training-book-session = Book this session
training-join-waiting = Join the waiting list
connector-now-choose = Now choose a Local Connector training session.
connector-no-training = No connector training is planned just now. We'll be in touch by email when the next session is set. You can also
see-all-training = see all training sessions
training-title = Training sessions
training-lead = Local Connector training, refreshers, and joint training for staff of local organisations. Anyone can book; you don't need an account.
training-what-connector = What does a Local Connector do?
training-none = No sessions are planned just now. Please look again soon.
training-feed = Add every session to your calendar (iCalendar feed)
training-add-calendar = Add this session to your calendar
training-all = All training sessions
training-when = When
training-trainer = Trainer
training-places = Places
training-full-explained = Full. If you book, you join the waiting list, and we email you if a place comes free.
training-book-place = Book a place
training-email-use = We use your email address only to confirm your place, remind you the day before, and tell you if a place comes free.
training-organisation = Organisation you work for
training-organisation-optional = Organisation you work for (optional)
training-waiting = You are on the waiting list
training-booked = You are booked
training-confirmed = Your place on { $title } is confirmed.
training-waiting-explained = The session is full. If a place comes free, the first person waiting gets it, and we email you straight away.
training-email-sent = We have sent you an email with the details and a link to cancel if you cannot come. We send a reminder the day before.
booking-cancel-title = Cancel your booking
booking-cancel-why = If you cannot come, cancelling lets the next person on the waiting list have your place.
booking-cancel-button = Cancel my booking
booking-keep = Keep my booking and see training sessions

## What the public training and connector pages say back

training-no-such = No such training session
training-no-such-text = We couldn't find that training session. It may have been taken down.
training-see = See training sessions
training-too-many = We already have several bookings from here in the last hour. If you are booking for a group, ask the person who runs the training to add them.
training-already-booked = This email address already has a place on this session. Your confirmation email has a link to cancel it.
training-started = This session has started
training-started-text = Bookings close when a session starts. Choose another session.
training-not-found = We couldn't find that training session.
booking-not-found = We couldn't find this booking
booking-not-found-text = This cancel link is not recognised. The booking may have been cancelled already, or you may have been given a new link when a place came free: use the link in your latest email.
booking-cancelled = Your booking is cancelled
booking-cancelled-text = Thank you for letting us know. If someone was waiting, the place is theirs now.
training-see-other = See other training sessions
booking-already-cancelled = Already cancelled
booking-already-cancelled-text = This booking was cancelled already; there is nothing more to do.
booking-attended = You came to this session
booking-attended-text = Attendance has been taken for this booking, so there is nothing to cancel.
connector-too-many = We already have several sign-ups from here in the last hour; please try again later.
postcard-unknown = We don't recognise that code
postcard-unknown-text = The code on a postcard is 6 letters and numbers. You can still tell us what's going on and we'll point you to help.

## Volunteering

volunteer-title = Volunteer
volunteer-heading = Volunteer near you
volunteer-lead = Local groups who would love your help. Say you're interested and the group gets in touch: no account needed.
volunteer-what = What would you like to do?
volunteer-what-hint = For example: driving, gardening, befriending, cooking
distance = Distance
any-distance = Any distance
within-km = Within { $km } km
volunteer-show-only = Show only roles
volunteer-for-new = Suitable for someone new to volunteering
volunteer-for-recovering = Suitable for someone recovering or getting back on their feet
volunteer-no-dbs = No DBS check needed
volunteer-find = Find roles
volunteer-roles =
    { $count ->
        [one] 1 role
       *[other] { $count } roles
    }
volunteer-none = No roles match. Try fewer words or a larger distance, or
volunteer-become-connector = become a Local Connector
volunteer-checks = Checks: { $checks }
volunteer-checks-none = None
volunteer-good-new = Good for someone new
volunteer-good-recovering = Good for someone recovering
whats-on-this-week = What's on this week
volunteer-skills = Skills that help
volunteer-checks-needed = Checks needed
volunteer-access = Access
volunteer-good-for = Good for
volunteer-good-for-both = someone new to volunteering, and someone recovering or getting back on their feet
volunteer-good-for-new = someone new to volunteering
volunteer-good-for-recovering = someone recovering or getting back on their feet
volunteer-good-for-anyone = anyone with the time
volunteer-interested = I'm interested
volunteer-interested-lead = Leave your name and a way to reach you. Only { $organisation } sees them, to get in touch about this role. If they have not replied within 3 working days we remind them.
volunteer-your-name = Your name
volunteer-contact = Email address or phone number
volunteer-message = Anything they should know (optional)
volunteer-message-hint = When you're free, or what you'd like to do.
volunteer-consent = { $organisation } may contact me about this role
volunteer-send = Send
volunteer-closed = This role is no longer taking offers.
volunteer-all-roles = All volunteer roles
volunteer-thank-you = Thank you
volunteer-offered = Thank you for offering to help
volunteer-passed-on = We have passed your offer to { $organisation } for the role "{ $role }".
volunteer-will-be-in-touch = They will get in touch with you
volunteer-chased = If they have not answered within 3 working days, we remind them; after 5, the people who run { $site } follow it up.
volunteer-other-roles = See other roles
volunteer-replies =
    { $count ->
        [0] usually replies the same day
        [one] usually replies in 1 working day
       *[other] usually replies in { $count } working days
    }

## What the volunteering pages say back

volunteer-too-long = Use fewer words, under 200 characters
choose-distance = Choose a distance from the list
volunteer-no-such = No such volunteer role
volunteer-no-such-text = We couldn't find that role. It may have been filled or taken down.
volunteer-see-roles = See volunteer roles
volunteer-filled = This role has been filled
volunteer-filled-text = The organisation is no longer taking offers for this role. Other roles may suit you.
volunteer-too-many = We already have several offers from here in the last hour. Please try again later.
offer-no-name = Enter your name
offer-name-too-long = Keep your name under { $max } characters
offer-no-contact = Enter an email address or phone number
offer-contact-too-long = Keep an email address or phone number under { $max } characters
offer-bad-contact = Enter an email address like name@example.org, or a phone number
offer-message-too-long = Keep your message under { $max } characters
offer-no-consent = Tick the box so the organisation may contact you about this role

## What's on

whats-on-title = What's on
whats-on-lead = Groups, clubs and drop-ins in { $area }. Everyone is welcome unless it says otherwise.
whats-on-add-calendar = Add everything to your calendar
nothing-listed = Nothing listed.
whats-on-hubs = Community hubs
whats-on-every-activity = Every activity
whats-on-none = No activities are listed yet.
whats-on-everywhere = What's on everywhere
activity-next = Next
activity-at = At
activity-add-calendar = Add to your calendar
activity-today = Today, { $date }
time-range = { $from } to { $to }
hub-add-calendar = Add this hub's activities to your calendar
hub-this-week = This week
hub-everything = Everything here
activity-no-such = No such activity
activity-no-such-text = We couldn't find that activity. It may have ended or been taken down.
hub-no-such = No such hub
hub-no-such-text = We couldn't find that hub. It may have ended or been taken down.
see-whats-on = See what's on

## Community groups

group-who-for = Who it is for
group-first-meeting = first meeting { $when }
group-helps-with = Helps with
group-members = Members
group-get-in-touch = Get in touch
group-listing = Its listing in the directory
group-funded = Funded by the local fund
group-about-the-fund = About the local fund
group-apply-for-funding = Apply for a grant for this group
group-start = Start a group
group-start-lead = Want to meet people, share a hobby or help others? Tell us your idea. A coordinator will call or email to help you find a place to meet, and people to join. You don't need an account.
group-contact = Phone number or email address
group-idea = I want to start a group for…
group-who-for-optional = Who it is for (optional)
group-send-idea = Send my idea
group-already-running = Groups already running
group-too-many = We already have several ideas from here in the last hour. Please try again later.
group-idea-thanks = Thank you: we have your idea
group-idea-thanks-text = A coordinator will get in touch to help you start your group: finding a place to meet, and people to join.
group-see-spaces = See spaces you could meet in
group-no-such = No such group
group-no-such-text = We couldn't find that group. It may not be listed yet.
group-no-name = Enter your name
group-name-too-long = Your name must be 100 characters or fewer
group-no-contact = Enter a phone number or email address, so a coordinator can get back to you
group-no-idea = Tell us about the group you have in mind
group-too-long = Text must be { $max } characters or fewer

## Spaces, vehicles and help to borrow

asset-title = Spaces, vehicles and help to borrow
asset-lead = Halls and rooms, minibuses, equipment and people's offers of time that you can ask to use. Nobody needs an account.
asset-what-you-need = What you need
asset-anything = Anything
asset-at-least = For at least this many people
asset-free-to-use = Free to use
asset-step-free = Step-free and accessible
asset-free-at = Free at a time (optional)
asset-date = Date
asset-from = From
asset-to = To
asset-show = Show
asset-found = { $count } found
asset-none = Nothing matches. Try fewer filters.
asset-holds-count = Holds { $count }
asset-seats-count = { $count } seats
asset-accessible = Accessible
asset-start-group = Want to start a group? Tell us your idea
asset-what-it-is = What it is
asset-holds = Holds
asset-people = { $count } people
asset-accessible-yes = Yes: step-free access
asset-accessible-no = Not step-free, or not known
asset-facilities = Facilities
asset-price = Price
asset-price-per-hour = { $price } an hour
asset-hire-terms = Hire terms
asset-seats = Seats
asset-not-given = Not given
asset-wheelchair-places = Wheelchair places
asset-who-may-drive = Who may drive
asset-ask-owner = Ask the owner
asset-drivers-trained = Drivers trained
asset-drivers-trained-yes = Yes: the owner's drivers are trained
asset-drivers-trained-no = No: bring a driver who may drive it
asset-when-used = When it can be used
asset-ask-owner-line = Ask the owner.
asset-free-heading = Free in the next two weeks
asset-no-free = No free times in the next two weeks.
asset-calendar = Its bookings as a calendar
asset-ask = Ask to use it
asset-ask-lead = The owner answers by phone or email. We use your details only for this request.
asset-phone = Phone number
asset-phone-hint = A phone number or an email address, so the owner can answer you.
asset-email = Email address (optional)
asset-purpose = What it is for
asset-people-label = How many people
asset-like = Like { $time }
asset-how-often = How often
asset-once = Just once
asset-weekly = Every week
asset-fortnightly = Every two weeks
asset-count = How many times in all (if it repeats)
asset-send = Send the request
asset-all = All spaces, vehicles and help
asset-request-sent = Request sent
asset-request-sent-heading = Your request has been sent
asset-owner-will-answer = The owner of { $asset } will get back to you.
asset-owner-will-answer-emailed = The owner of { $asset } will get back to you, and we have emailed you a copy.
asset-you-asked = You asked for:
asset-back = Back to spaces, vehicles and help

## What the asset pages say back

asset-bad-capacity = Enter the number of people as a whole number
asset-bad-date = Enter the date like 2026-12-03
asset-bad-times = Enter a start and an end time like 18:00 and 21:00
asset-no-such = No such asset
asset-no-such-text = We couldn't find that space, vehicle or offer. It may have been taken down.
asset-not-found = We couldn't find that space, vehicle or offer.
asset-browse = Browse spaces and more
asset-no-such-booking = No such booking
asset-no-such-booking-text = We couldn't find that booking, or it is not approved.
asset-too-many = We already have several requests from here in the last hour. Please try again later, or ask the owner directly.
asset-slot-nth = The { $nth } time you asked for: { $problem }
asset-slot-sorry = Sorry, { $problem }
asset-no-contact = Enter a phone number or an email address, so the owner can answer you
asset-bad-phone = Enter a phone number like 01632 960 001
asset-bad-email = Enter an email address like name@example.org
asset-no-purpose = Say what it is for
asset-purpose-too-long = What it is for must be { $max } characters or fewer
asset-bad-people = Enter how many people, as a number
asset-too-many-people = That is more people than it holds ({ $count })
asset-bad-from = Enter the start time like 18:00
asset-bad-to = Enter the end time like 21:00
asset-bad-repeat = Choose how often: once, weekly or fortnightly
asset-bad-count = Enter how many times, from 1 to { $max }
slot-backwards = the end time must be after the start time
slot-in-past = that time has already passed: choose a time still to come
slot-outside-availability = it isn't available then: choose a time within its available hours
slot-overlaps = it is already booked for part of that time: choose another time

## The local fund

fund-title = Local fund
fund-lead = Small grants for people and groups doing good things in { $area }. You do not need an account, and your group does not need a constitution. You can save your application and come back to it.
fund-none-open = No rounds are open just now. Please look again soon.
fund-closes = Closes { $date }
fund-open-to = Open to { $who }.
fund-who-constituted = constituted groups and charities
fund-who-unconstituted = groups without a constitution
fund-who-individuals = individuals
fund-band = { $min } to { $max }
fund-fast-route = Asking for less than { $amount }? We decide quickly, without waiting for the panel.
fund-apply-title = Apply: { $round }
fund-draft-saved = Your draft is saved
fund-draft-saved-text = Nothing has been sent yet. Come back to it with the link below, and send it when it is ready.
fund-ask-for = You can ask for
fund-closes-label = Closes
fund-open-to-label = Open to
fund-your-link = Your link to this application
fund-your-link-hint = Keep it safe and to yourself: anyone with it can see and change your application.
fund-who-applying = Who is applying?
fund-amount = How much are you asking for, in pounds?
fund-amount-hint = Between £{ $min } and £{ $max }.
fund-group-name = The group's name (if you are a group)
fund-charity-number = Registered charity number (if you have one)
fund-company-number = Company number (if you have one)
fund-email-hint = We email you the link to your application. If you have no email, give a phone number.
fund-postcode = Postcode
fund-where-to-pay = Where to pay it
fund-where-to-pay-text = You can leave this until later. The fund's team sees it only if the grant is awarded.
fund-bank-name = Name on the bank account
fund-sort-code = Sort code
fund-account-number = Account number
fund-save = Save and come back later
fund-send = Send my application
fund-all-rounds = All fund rounds
fund-your-application = Your application: { $round }
fund-sent = Your application is sent
fund-sent-text = Thank you. We will tell you what is decided.
fund-your-application-to = Your application to { $round }
fund-asked-for = Asked for
fund-where-it-stands = Where it stands
fund-decision = Decision
fund-why = Why
fund-your-page-link = Your link to this page
fund-awarded = Awarded { $amount }
fund-not-funded = Not funded this time
fund-how-did-it-go = How did it go?
fund-monitoring-lead = Six months ago { $round } awarded you { $amount }. A few words on what happened help the fund's team and the next applicants.
fund-monitoring-done = Your return has reached us already. Thank you.
fund-what-happened = What happened with the money?
fund-people-reached = About how many people took part?
fund-spent-as-planned = We spent it as we said we would
fund-anything-else = Anything else? (optional)

## What the fund pages say back

fund-no-such-round = No such fund round
fund-no-such-round-text = We couldn't find that fund round. It may have closed.
fund-see-open = See the rounds open now
fund-closed = This round has closed
fund-closed-text = { $round } closed on { $date }. Applications are no longer taken; see the rounds open now.
fund-too-many = We already have several applications from here in the last hour. Please try again later, or ask the fund's team for help.
fund-already-sent = Already sent
fund-already-sent-text = This application has been sent, so it can no longer be changed.
fund-see = See the fund
fund-unknown-link = We couldn't find this application
fund-unknown-link-text = This link is not recognised. Check it was copied whole, or start a new application.
fund-monitoring-thanks = Your monitoring return has reached the fund's team. Thank you for telling us how it went.

## Who does what where

insight-public-title = Who does what where
insight-staff-title = Agency map
insight-lead = What the place offers, by need and { $level }, against what people asked for over the last year.
insight-lead-public = This public version holds no figures from casework.
insight-lead-counted = Services are counted from the public directory; figures about people are published with small numbers hidden.
insight-worked-at = These figures were worked out at { $when }, and are worked out again every { $minutes } minutes.
insight-worked-at-when = { $time } on { $date }
insight-within = Distance that counts as near an area (km)
insight-download = Download the map's figures (CSV)
insight-offers = What the place offers
insight-table-scrolls = Table { $number }, scrolls sideways on small screens
insight-offers-caption = Services, organisations and hours open a week, by need
insight-need = Need
insight-services = Services
insight-organisations = Organisations
insight-hours = Hours open a week
insight-with-notice = With a notice (full, waiting list)
insight-no-services = No services listed yet.
insight-by-need-and-area = Services by need and area
insight-heat-lead = A heat table: the darker the cell, the more services meet the need in the area. Each cell gives the number.
insight-heat-caption = Services by need ({ $needs } needs) and { $level } ({ $areas } areas)
insight-asked = What people asked for
insight-asked-caption = Needs people asked for, by where we heard of them
insight-searches-nothing = Searches that found nothing
insight-raised-conversations = Raised in connectors' conversations
insight-raised-casework = Raised in casework
insight-refusals = Referrals turned down for lack of capacity
insight-all = All
insight-nothing-asked = Nothing asked for yet.
insight-all-needs = All needs
insight-gaps = Gaps
insight-gaps-lead = Needs people asked for with no service within { $km } km of the centre of an area: { $count }
insight-first-listed = , the first { $count } listed
insight-gaps-caption = Gaps: needs with no service near an area
insight-area = Area
insight-overlaps = Overlaps
insight-overlaps-lead = Needs met by several organisations in the same area: { $count }
insight-most-listed = , the { $count } with most organisations listed
insight-overlaps-not-waste = Overlap is not always waste; it is where links are worth making.
insight-overlaps-caption = Overlaps: organisations meeting the same need in the same area
insight-how-many = How many
insight-misses-lead = The words of searches that found nothing, with the area searched near, over the last twelve months. Only words searched often enough to publish are listed, so nothing typed by one person shows here.
insight-misses-none = None often enough to list.
insight-misses-caption = Searches that found nothing, by words and area
insight-words = Words
insight-searches = Searches
insight-anywhere = Anywhere
insight-level-district = postcode district
insight-level-sector = postcode sector
insight-level-ward = ward
insight-level-authority = local authority
insight-services-by-need = Services by need
insight-needs-asked = Needs people asked for
insight-bad-distance = The distance must be a number of kilometres between 0.5 and 100.
chart-nothing = { $title }: nothing to show yet.
chart-summary = { $title }: { $count } bars; the largest are { $top }. The table beside the chart gives every figure.
figures-seeing-exact = You are seeing exact figures. Do not share them outside the place team.
figures-show-published = Show published figures
figures-show-exact = Show exact figures
figures-leads-only = (place leads only; do not share them outside the place team)

# Volunteer match events
events-title = Volunteer match events
events-lead = Evenings where local groups looking for help meet people who would like to give some. Come along, chat to a few, and see what suits you. Anyone can book a place; you don't need an account.
events-none = No match events are planned just now. You can still offer to help with a role:
events-coming = Coming:
events-all = All volunteer match events
events-host = Host
volunteer-events-link = Meet local groups in person at a volunteer match event

# What could you give? A resident's own strengths
strengths-title = What could you give?
strengths-lead = Tell us what you're good at and what you care about, and we'll suggest volunteer roles and local groups that fit.
strengths-skills = What are you good at?
strengths-skills-hint = For example: driving, cooking, listening. Separate them with commas.
strengths-passions = What do you care about or enjoy? (optional)
strengths-passions-hint = For example: gardening, animals, older people
strengths-availability = When are you free? (optional)
strengths-availability-hint = For example: weekday mornings, Saturdays, evenings
strengths-not-kept = We don't keep what you type here: it is used only to find suggestions on this page.
strengths-find = Suggest roles and groups
strengths-roles = Roles that could suit you
strengths-no-roles = No open roles fit those words yet. Try other words, or see
strengths-groups = Groups you could join or help
strengths-no-groups = No local group fits those words yet. You could
strengths-start-group = start one
strengths-group-needs = Looking for volunteers
strengths-say-something = Tell us at least one thing you're good at or care about
strengths-too-many = That's a lot at once: pick up to 12 of each, separated by commas
volunteer-what-fits-link = Not sure what to look for? Tell us what you're good at

# Emails to residents, in the language they booked or applied in
email-hello = Hello { $name },
email-add-to-calendar = Add it to your calendar: { $link }
training-where-both = { $place }, or online: { $link }
training-where-online = Online: { $link }
training-where-unknown = to be confirmed
email-booking-when = When: { $when }
email-booking-where = Where: { $where }
email-booking-trainer = Trainer: { $name }
email-booking-host = Host: { $name }
email-booking-what-training = training session
email-booking-what-event = volunteer match event
email-booking-waiting-subject = You are on the waiting list: { $title }
email-booking-waiting-opening = The session is full, so you are on the waiting list. If a place comes free, the first person waiting gets it and we email you straight away.
email-booking-promoted-subject = A place has come free for you: { $title }
email-booking-promoted-opening = Good news: someone cancelled and you were first on the waiting list, so the place is yours.
email-booking-booked-subject = You are booked: { $title }
email-booking-booked-opening = Thank you for booking. Your place is confirmed.
email-booking-cancel = If you cannot come, please cancel so someone else can have the place:
email-booking-reminder-subject = Reminder: { $title }, { $when }
email-booking-reminder-opening = A reminder of your { $what }:
email-booking-reminder-cancel = If you cannot come after all, please cancel so someone else can have the place:
fund-email-submitted-subject = { $site }: your application to { $round } is in
fund-email-submitted-body = Thank you: your application to { $round } has reached us. We will tell you what is decided.
fund-email-where-it-stands = You can see where it stands here: { $link }
fund-email-draft-subject = { $site }: your draft application to { $round }
fund-email-draft-body = Your draft application to { $round } is saved. Use this link to come back to it and send it when it is ready. Keep it to yourself: anyone with it can see and change your application.
fund-email-funded-subject = { $site }: your application to { $round } is funded
fund-email-funded-body = Good news: { $round } has awarded you { $amount }.
fund-email-why = Why: { $reasons }
fund-email-funded-monitoring = In six months we will ask how it went. You can tell us any time here: { $link }
fund-email-declined-subject = { $site }: your application to { $round }
fund-email-declined-body = Thank you for applying to { $round }. This time it has not been funded.
fund-email-monitoring-subject = { $site }: how did it go?
fund-email-monitoring-body = Six months ago { $round } gave you a grant. Please tell us in a few words how it went; it takes two minutes:
asset-email-request-subject = We have your request: { $title }
asset-email-request-body = Thank you: your request to use { $title } has gone to its owner, who will answer you soon.
asset-email-you-asked = You asked for:
asset-email-approved-subject = Your booking is approved: { $title }
asset-email-approved-body = Good news: your booking of { $title } is approved.
asset-email-hire-terms = Hire terms: { $terms }
asset-email-none-given = none given
asset-email-declined-subject = Your booking request was declined: { $title }
asset-email-declined-body = Sorry: your request to use { $title } was declined.
asset-email-reason = The reason given: { $reason }
asset-email-elsewhere = You may find another time or place at { $link }
