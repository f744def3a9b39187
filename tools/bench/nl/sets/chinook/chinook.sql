-- A small database in the shape of Chinook (https://github.com/lerocha/chinook-database, MIT):
-- CamelCase tables and columns, Id suffixes, a self-reference (ReportsTo), a many-to-many
-- (PlaylistTrack) and wide Customer/Employee rows. The rows are our own, few and small.
CREATE TABLE Artist (ArtistId INTEGER PRIMARY KEY, Name TEXT);
CREATE TABLE Album (AlbumId INTEGER PRIMARY KEY, Title TEXT NOT NULL, ArtistId INTEGER NOT NULL REFERENCES Artist(ArtistId));
CREATE TABLE Genre (GenreId INTEGER PRIMARY KEY, Name TEXT);
CREATE TABLE MediaType (MediaTypeId INTEGER PRIMARY KEY, Name TEXT);
CREATE TABLE Track (
  TrackId INTEGER PRIMARY KEY, Name TEXT NOT NULL, AlbumId INTEGER REFERENCES Album(AlbumId),
  MediaTypeId INTEGER NOT NULL REFERENCES MediaType(MediaTypeId), GenreId INTEGER REFERENCES Genre(GenreId),
  Composer TEXT, Milliseconds INTEGER NOT NULL, Bytes INTEGER, UnitPrice NUMERIC NOT NULL
);
CREATE TABLE Employee (
  EmployeeId INTEGER PRIMARY KEY, LastName TEXT NOT NULL, FirstName TEXT NOT NULL, Title TEXT,
  ReportsTo INTEGER REFERENCES Employee(EmployeeId), BirthDate DATE, HireDate DATE, Address TEXT,
  City TEXT, State TEXT, Country TEXT, PostalCode TEXT, Phone TEXT, Fax TEXT, Email TEXT
);
CREATE TABLE Customer (
  CustomerId INTEGER PRIMARY KEY, FirstName TEXT NOT NULL, LastName TEXT NOT NULL, Company TEXT,
  Address TEXT, City TEXT, State TEXT, Country TEXT, PostalCode TEXT, Phone TEXT, Fax TEXT,
  Email TEXT NOT NULL, SupportRepId INTEGER REFERENCES Employee(EmployeeId)
);
CREATE TABLE Invoice (
  InvoiceId INTEGER PRIMARY KEY, CustomerId INTEGER NOT NULL REFERENCES Customer(CustomerId),
  InvoiceDate DATE NOT NULL, BillingAddress TEXT, BillingCity TEXT, BillingState TEXT,
  BillingCountry TEXT, BillingPostalCode TEXT, Total NUMERIC NOT NULL
);
CREATE TABLE InvoiceLine (
  InvoiceLineId INTEGER PRIMARY KEY, InvoiceId INTEGER NOT NULL REFERENCES Invoice(InvoiceId),
  TrackId INTEGER NOT NULL REFERENCES Track(TrackId), UnitPrice NUMERIC NOT NULL, Quantity INTEGER NOT NULL
);
CREATE TABLE Playlist (PlaylistId INTEGER PRIMARY KEY, Name TEXT);
CREATE TABLE PlaylistTrack (
  PlaylistId INTEGER NOT NULL REFERENCES Playlist(PlaylistId), TrackId INTEGER NOT NULL REFERENCES Track(TrackId),
  PRIMARY KEY (PlaylistId, TrackId)
);
INSERT INTO Artist VALUES (1, 'The Night Owls'), (2, 'Maria Costa'), (3, 'Blue Harbour'), (4, 'Kenji Sato Trio'), (5, 'Silent Quarry');
INSERT INTO Album VALUES (1, 'Midnight Roads', 1), (2, 'Feathers', 1), (3, 'Saudade Nova', 2), (4, 'Low Tide', 3),
  (5, 'Harbour Lights', 3), (6, 'Blue Notes in Kyoto', 4);
INSERT INTO Genre VALUES (1, 'Rock'), (2, 'Jazz'), (3, 'Bossa Nova'), (4, 'Blues'), (5, 'Classical');
INSERT INTO MediaType VALUES (1, 'MPEG audio file'), (2, 'AAC audio file'), (3, 'Protected AAC audio file');
INSERT INTO Track VALUES
  (1, 'Highway Hymn', 1, 1, 1, 'J. Reed', 243000, 7900000, 0.99),
  (2, 'Owl Song', 1, 1, 1, 'J. Reed, A. Moss', 198000, 6400000, 0.99),
  (3, 'Last Exit', 1, 2, 1, NULL, 312000, 10100000, 0.99),
  (4, 'Feathers', 2, 1, 1, 'A. Moss', 221000, 7200000, 0.99),
  (5, 'Paper Wings', 2, 1, 4, 'A. Moss', 275000, 8900000, 1.29),
  (6, 'Agua de Março Azul', 3, 2, 3, 'M. Costa', 187000, 6100000, 0.99),
  (7, 'Lisboa ao Sol', 3, 2, 3, 'M. Costa', 204000, 6600000, 0.99),
  (8, 'Low Tide', 4, 1, 4, 'B. Lane', 356000, 11500000, 1.29),
  (9, 'Salt and Rope', 4, 1, 4, NULL, 289000, 9400000, 0.99),
  (10, 'Lighthouse', 5, 3, 2, 'B. Lane', 402000, 13000000, 1.99),
  (11, 'Kamo River', 6, 3, 2, 'K. Sato', 488000, 15800000, 1.99),
  (12, 'Gion at Dusk', 6, 3, 2, 'K. Sato', 530000, 17200000, 1.99),
  (13, 'Quarry Suite No. 1', NULL, 1, 5, 'S. Quarry', 611000, 19800000, 0.99);
INSERT INTO Employee VALUES
  (1, 'Adams', 'Andrew', 'General Manager', NULL, '1962-02-18', '2002-08-14', '11120 Jasper Ave NW', 'Edmonton', 'AB', 'Canada', 'T5K 2N1', '+1 780 428 9482', NULL, 'andrew@chinookcorp.com'),
  (2, 'Edwards', 'Nancy', 'Sales Manager', 1, '1958-12-08', '2002-05-01', '825 8 Ave SW', 'Calgary', 'AB', 'Canada', 'T2P 2T3', '+1 403 262 3443', NULL, 'nancy@chinookcorp.com'),
  (3, 'Peacock', 'Jane', 'Sales Support Agent', 2, '1973-08-29', '2002-04-01', '1111 6 Ave SW', 'Calgary', 'AB', 'Canada', 'T2P 5M5', '+1 403 262 3443', NULL, 'jane@chinookcorp.com'),
  (4, 'Park', 'Margaret', 'Sales Support Agent', 2, '1947-09-19', '2003-05-03', '683 10 Street SW', 'Calgary', 'AB', 'Canada', 'T2P 5G3', '+1 403 263 4423', NULL, 'margaret@chinookcorp.com'),
  (5, 'Mitchell', 'Michael', 'IT Manager', 1, '1973-07-01', '2003-10-17', '5827 Bowness Road NW', 'Calgary', 'AB', 'Canada', 'T3B 0C5', '+1 403 246 9887', NULL, 'michael@chinookcorp.com');
INSERT INTO Customer VALUES
  (1, 'Luís', 'Gonçalves', 'Embraer', 'Av. Brigadeiro Faria Lima, 2170', 'São José dos Campos', 'SP', 'Brazil', '12227-000', '+55 12 3923-5555', NULL, 'luisg@embraer.com.br', 3),
  (2, 'Leonie', 'Köhler', NULL, 'Theodor-Heuss-Straße 34', 'Stuttgart', NULL, 'Germany', '70174', '+49 0711 2842222', NULL, 'leonekohler@surfeu.de', 4),
  (3, 'François', 'Tremblay', NULL, '1498 rue Bélanger', 'Montréal', 'QC', 'Canada', 'H2G 1A7', '+1 514 721 4711', NULL, 'ftremblay@gmail.com', 3),
  (4, 'Bjørn', 'Hansen', NULL, 'Ullevålsveien 14', 'Oslo', NULL, 'Norway', '0171', '+47 22 44 22 22', NULL, 'bjorn.hansen@yahoo.no', 4),
  (5, 'Frank', 'Harris', 'Google Inc.', '1600 Amphitheatre Parkway', 'Mountain View', 'CA', 'USA', '94043-1351', '+1 650 253 0000', NULL, 'fharris@google.com', 4),
  (6, 'Jack', 'Smith', 'Microsoft Corporation', '1 Microsoft Way', 'Redmond', 'WA', 'USA', '98052-8300', '+1 425 882 8080', NULL, 'jacksmith@microsoft.com', 3),
  (7, 'Niklas', 'Schröder', NULL, 'Barbarossastraße 19', 'Berlin', NULL, 'Germany', '10779', '+49 030 2141444', NULL, 'nschroder@surfeu.de', 3),
  (8, 'Astrid', 'Gruber', NULL, 'Rotenturmstraße 4', 'Vienne', NULL, 'Austria', '1010', '+43 01 5134505', NULL, 'astrid.gruber@apple.at', 5);
INSERT INTO Invoice VALUES
  (1, 2, '2024-01-01', 'Theodor-Heuss-Straße 34', 'Stuttgart', NULL, 'Germany', '70174', 1.98),
  (2, 4, '2024-01-02', 'Ullevålsveien 14', 'Oslo', NULL, 'Norway', '0171', 3.96),
  (3, 1, '2024-02-03', 'Av. Brigadeiro Faria Lima, 2170', 'São José dos Campos', 'SP', 'Brazil', '12227-000', 5.94),
  (4, 5, '2024-02-06', '1600 Amphitheatre Parkway', 'Mountain View', 'CA', 'USA', '94043-1351', 8.91),
  (5, 2, '2024-03-11', 'Theodor-Heuss-Straße 34', 'Stuttgart', NULL, 'Germany', '70174', 13.86),
  (6, 6, '2024-03-19', '1 Microsoft Way', 'Redmond', 'WA', 'USA', '98052-8300', 0.99),
  (7, 3, '2024-04-20', '1498 rue Bélanger', 'Montréal', 'QC', 'Canada', 'H2G 1A7', 1.98),
  (8, 5, '2024-05-01', '1600 Amphitheatre Parkway', 'Mountain View', 'CA', 'USA', '94043-1351', 3.98),
  (9, 7, '2024-06-04', 'Barbarossastraße 19', 'Berlin', NULL, 'Germany', '10779', 1.99),
  (10, 2, '2024-06-20', 'Theodor-Heuss-Straße 34', 'Stuttgart', NULL, 'Germany', '70174', 0.99);
INSERT INTO InvoiceLine VALUES
  (1, 1, 1, 0.99, 1), (2, 1, 2, 0.99, 1), (3, 2, 4, 0.99, 1), (4, 2, 6, 0.99, 3), (5, 3, 7, 0.99, 2),
  (6, 3, 9, 0.99, 4), (7, 4, 10, 1.99, 3), (8, 4, 3, 0.99, 3), (9, 5, 11, 1.99, 4), (10, 5, 12, 1.99, 3),
  (11, 5, 8, 1.29, 1), (12, 6, 1, 0.99, 1), (13, 7, 6, 0.99, 2), (14, 8, 12, 1.99, 2), (15, 9, 10, 1.99, 1), (16, 10, 2, 0.99, 1);
INSERT INTO Playlist VALUES (1, 'Music'), (2, 'Road Trip'), (3, 'Late Night Jazz'), (4, 'Audiobooks');
INSERT INTO PlaylistTrack VALUES (1, 1), (1, 2), (1, 4), (1, 6), (1, 8), (1, 11), (2, 1), (2, 3), (2, 5), (2, 9),
  (3, 10), (3, 11), (3, 12);
