-- The links a record page follows: the key places of an organisation or at an address, and the
-- organisations at an address (a room's page lists what is in it; an organisation's page its
-- places).
CREATE INDEX key_places_organisation ON key_places(organisation_id);
CREATE INDEX key_places_address ON key_places(address_id);
CREATE INDEX organisations_address ON organisations(address_id);
