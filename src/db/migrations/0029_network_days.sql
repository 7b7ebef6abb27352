-- The network's days (decision 0043): a day of the network (the programme of a "NEC local": tracks,
-- sessions with times, rooms and speakers), each session being a workshop of the agenda (0025) with one
-- date, so registration, waiting list, attendance, attendance sheet and iCal come from the workshops.
-- Forward-only: never edit an applied migration, add a new file.

create table network_event (
  id uuid primary key default gen_random_uuid(),
  -- The organising structure: its staff see the sessions' registrations, as for any workshop.
  structure_id uuid not null references structure (id) on delete cascade,
  title text not null check (char_length(title) between 1 and 150),
  description text not null default '' check (char_length(description) <= 5000),
  -- The day (Paris calendar day); its sessions' times fall on it.
  day date not null check (day >= '2020-01-01'),
  -- A place of the directory, its name and commune copied (the programme still says where if it goes).
  place_id uuid references place (id) on delete set null,
  place_name text not null check (char_length(place_name) between 1 and 300),
  commune_code text check (commune_code is null or commune_code ~ '^([013-9][0-9]|2[AB1-9])[0-9]{3}$'),
  status text not null default 'confirmed' check (status in ('tentative', 'confirmed', 'cancelled')),
  created_by uuid references person (id) on delete set null,
  is_demo boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index network_event_day_idx on network_event (day);

-- A track of the day (a "parcours"), in the programme's order.
create table network_track (
  id uuid primary key default gen_random_uuid(),
  event_id uuid not null references network_event (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 150),
  position integer not null check (position between 1 and 100),
  created_at timestamptz not null default now(),
  unique (event_id, position),
  unique (event_id, name)
);

-- A session of the day: a workshop (one date) of the organising structure, in a track and a room, with
-- its speakers (public: names and roles as they appear on the programme) and, after it ended, the links
-- to its replay and its slides (http or https only).
create table network_session (
  workshop_id uuid primary key references workshop (id) on delete cascade,
  event_id uuid not null references network_event (id) on delete cascade,
  track_id uuid not null references network_track (id) on delete restrict,
  room text not null default '' check (char_length(room) <= 100),
  -- [{ "name": …, "role": … }], at most 10.
  speakers jsonb not null default '[]' check (
    jsonb_typeof(speakers) = 'array' and jsonb_array_length(speakers) <= 10),
  replay_url text check (
    replay_url is null or (char_length(replay_url) <= 2000 and replay_url ~* '^https?://[^\s/?#]+')),
  slides_url text check (
    slides_url is null or (char_length(slides_url) <= 2000 and slides_url ~* '^https?://[^\s/?#]+')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index network_session_event_idx on network_session (event_id);
create index network_session_track_idx on network_session (track_id);

-- The coordination activity that records a day (0023 left the column without its key): one per day.
alter table coordination_activity add constraint coordination_activity_agenda_event_fkey
  foreign key (agenda_event_id) references network_event (id) on delete set null;
create unique index coordination_activity_agenda_event_key on coordination_activity (agenda_event_id)
  where agenda_event_id is not null;
