-- Sends through the public forms that write or send mail (a call back, a booking, a
-- sign-up, a problem report), by address, for the one limit every instance shares. Rows
-- older than the limit's window are deleted as new sends arrive: an address is personal
-- data and is kept no longer than the limit needs it.
CREATE TABLE public_sends (
    id TEXT PRIMARY KEY NOT NULL,
    form TEXT NOT NULL,
    address TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX public_sends_by_address ON public_sends (address, form, at);
CREATE INDEX public_sends_by_time ON public_sends (at);
