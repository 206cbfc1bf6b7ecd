-- The language a training or event booking was made in, so that the emails it sends
-- later (a place come free, the reminder) speak it. Bookings made before are English.
-- Same column as the SQLite migration of the same name.
ALTER TABLE training_bookings ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
