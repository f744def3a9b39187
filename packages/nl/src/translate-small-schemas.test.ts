import { openSqliteFixture, type SqliteFixture } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchemaIndex, type SchemaIndex } from './schema-index.js';
import { translate } from './translate.js';
import { buildValueIndex } from './value-index.js';

// Small schemas with the naming habits of real databases, one per kind of English they test.
const now = new Date('2024-06-15T12:00:00Z');

function asker(fixture: () => SqliteFixture<SchemaIndex>) {
  return (question: string): unknown[][] => {
    const t = translate(question, fixture().index, { dialect: 'sqlite', now });
    return fixture().rows(t.sql, t.params);
  };
}

describe('two keys of one table to the same table', () => {
  // Friend(student_id, friend_id) both refer to Pupil: the row belongs to student_id; friend_id
  // (named after its own table) is the friend. Declared in this order, SQLite lists friend_id first.
  let school: SqliteFixture<SchemaIndex>;
  beforeAll(async () => {
    school = await openSqliteFixture(
      `CREATE TABLE Pupil (ID INTEGER PRIMARY KEY, name TEXT);
       CREATE TABLE Friend (student_id INTEGER REFERENCES Pupil(ID), friend_id INTEGER REFERENCES Pupil(ID),
         PRIMARY KEY (student_id, friend_id));
       INSERT INTO Pupil VALUES (1, 'Kyle'), (2, 'Ann'), (3, 'Bo'), (4, 'Cy');
       INSERT INTO Friend VALUES (1, 2), (1, 3), (2, 1), (2, 3), (2, 4), (3, 2);`,
      { buildSchemaIndex, buildValueIndex },
    );
  });
  afterAll(() => school.close());
  const ask = asker(() => school);
  it('"how many friends does Kyle have" counts the rows Kyle owns', () => {
    expect(ask('how many friends does the pupil Kyle have')).toEqual([[2]]);
  });
  it('"pupils who have at least 3 friends" counts by the owner key', () => {
    expect(ask('names of pupils who have at least 3 friends')).toEqual([['Ann']]);
  });
});

describe('"from high to low": a pair of plain adjectives gives the direction', () => {
  let club: SqliteFixture<SchemaIndex>;
  beforeAll(async () => {
    club = await openSqliteFixture(
      `CREATE TABLE visitor (id INTEGER PRIMARY KEY, name TEXT, level INTEGER, age INTEGER);
       INSERT INTO visitor VALUES (1, 'Ann', 5, 30), (2, 'Bob', 8, 20), (3, 'Cy', 6, 40), (4, 'Di', 1, 50);`,
      { buildSchemaIndex, buildValueIndex },
    );
  });
  afterAll(() => club.close());
  const ask = asker(() => club);
  it('"ordered by level from high to low" sorts descending', () => {
    expect(ask('names of visitors with level above 4, ordered by the level from high to low')).toEqual([
      ['Bob'],
      ['Cy'],
      ['Ann'],
    ]);
  });
  it('"sorted by age from old to young" sorts descending', () => {
    expect(ask('names of visitors with level above 4, sorted by their age from old to young')).toEqual([
      ['Cy'],
      ['Ann'],
      ['Bob'],
    ]);
  });
  it('"from young to old" sorts ascending', () => {
    expect(ask('names of visitors with level above 4, sorted by their age from young to old')).toEqual([
      ['Bob'],
      ['Ann'],
      ['Cy'],
    ]);
  });
});

describe('"or" between two conditions no row meets at once', () => {
  let staff: SqliteFixture<SchemaIndex>;
  beforeAll(async () => {
    staff = await openSqliteFixture(
      `CREATE TABLE Professionals (professional_id INTEGER PRIMARY KEY, state TEXT, email_address TEXT, score INTEGER);
       INSERT INTO Professionals VALUES (1, 'Hawaii', 'a@x.org', 10), (2, 'Wisconsin', 'b@x.org', 50),
         (3, 'Ohio', 'c@x.org', 90), (4, 'Wisconsin', 'd@x.org', 30);`,
      { buildSchemaIndex, buildValueIndex },
    );
  });
  afterAll(() => staff.close());
  const ask = asker(() => staff);
  it('"in the state of Hawaii or the state of Wisconsin" is an OR, not an INTERSECT', () => {
    expect(
      ask('emails of the professionals who live in the state of Hawaii or the state of Wisconsin').sort(),
    ).toEqual([['a@x.org'], ['b@x.org'], ['d@x.org']]);
  });
  it('"a score above 80 or below 20" is an OR, not an AND', () => {
    expect(ask('how many professionals have a score above 80 or below 20')).toEqual([[2]]);
  });
});

describe('numbers compared with a column stored as text', () => {
  // Drivers bind a number as floating point: SQLite compares '2008' with 2008.0 as the text
  // '2008.0' ('2008' = '2008.0' is false, '2008' < '2008.0' is true); a literal 2008 matches.
  let museums: SqliteFixture<SchemaIndex>;
  beforeAll(async () => {
    museums = await openSqliteFixture(
      `CREATE TABLE museum (Museum_ID INTEGER PRIMARY KEY, Name TEXT, Open_Year TEXT);
       INSERT INTO museum VALUES (1, 'Plaza', '2000'), (2, 'Hill', '2008'), (3, 'Lake', '2012'), (4, 'Town', '2008');`,
      { buildSchemaIndex, buildValueIndex },
    );
  });
  afterAll(() => museums.close());
  const ask = asker(() => museums);
  it('"opened before 2008" keeps the museums of 2000 only', () => {
    expect(ask('how many museums were opened before 2008')).toEqual([[1]]);
  });
  it('"opened in 2008" finds the text 2008', () => {
    expect(ask('names of museums with open year 2008').sort()).toEqual([['Hill'], ['Town']]);
  });
});

describe('"and" between values no row holds at once', () => {
  let world: SqliteFixture<SchemaIndex>;
  beforeAll(async () => {
    world = await openSqliteFixture(
      `CREATE TABLE country (Code TEXT PRIMARY KEY, Name TEXT, Continent TEXT, SurfaceArea REAL);
       INSERT INTO country VALUES ('AF', 'Afghanistan', 'Asia', 100), ('FR', 'France', 'Europe', 20),
         ('KE', 'Kenya', 'Africa', 7), ('JP', 'Japan', 'Asia', 3);`,
      { buildSchemaIndex, buildValueIndex },
    );
  });
  afterAll(() => world.close());
  const ask = asker(() => world);
  it('"the total surface area of the continents Asia and Europe" adds both continents', () => {
    expect(ask('what is the total surface area of the continents Asia and Europe')).toEqual([[123]]);
  });
});

describe('a comparison on an aggregate of grouped rows is a HAVING', () => {
  let nations: SqliteFixture<SchemaIndex>;
  beforeAll(async () => {
    nations = await openSqliteFixture(
      `CREATE TABLE nation (Code TEXT PRIMARY KEY, Continent TEXT, LifeExpectancy REAL, Population INTEGER);
       INSERT INTO nation VALUES ('A', 'Asia', 80, 10), ('B', 'Asia', 60, 20), ('C', 'Europe', 78, 5),
         ('D', 'Europe', 74, 5), ('E', 'Africa', 75, 1), ('F', 'Africa', 55, 2);`,
      { buildSchemaIndex, buildValueIndex },
    );
  });
  afterAll(() => nations.close());
  const ask = asker(() => nations);
  it('"for each continent where the average life expectancy is shorter than 72" compares the average', () => {
    expect(
      ask(
        'the total population for each continent where the average life expectancy is shorter than 72',
      ).sort(),
    ).toEqual([
      [3, 'Africa'],
      [30, 'Asia'],
    ]);
  });
  it('"continents whose average life expectancy is above 72" keeps the groups', () => {
    expect(ask('which continents have an average life expectancy above 72')).toEqual([['Europe']]);
  });
});

describe('a name asked for with its words in another form and order', () => {
  let kennel: SqliteFixture<SchemaIndex>;
  beforeAll(async () => {
    kennel = await openSqliteFixture(
      `CREATE TABLE Dogs (dog_id INTEGER PRIMARY KEY, name TEXT, date_of_birth TEXT, date_arrived TEXT, date_departed TEXT);
       INSERT INTO Dogs VALUES (1, 'Rex', '2010-01-01', '2017-03-01', '2018-03-02'), (2, 'Bo', '2012-05-05', '2017-09-09', '2018-01-01');`,
      { buildSchemaIndex, buildValueIndex },
    );
  });
  afterAll(() => kennel.close());
  const ask = asker(() => kennel);
  const expected = [
    ['2017-03-01', '2018-03-02'],
    ['2017-09-09', '2018-01-01'],
  ];
  it('"the arrival date and the departure date" are date_arrived and date_departed', () => {
    expect(ask('list the arrival date and the departure date for all the dogs').sort()).toEqual(expected);
  });
  it('"the arriving date and the departing date" too', () => {
    expect(ask('what are the arriving date and the departing date of all the dogs').sort()).toEqual(expected);
  });
});

describe('sorted by how often a value occurs', () => {
  let music: SqliteFixture<SchemaIndex>;
  beforeAll(async () => {
    music = await openSqliteFixture(
      `CREATE TABLE orchestra (Orchestra_ID INTEGER PRIMARY KEY, Orchestra TEXT, Record_Format TEXT);
       INSERT INTO orchestra VALUES (1, 'A', 'CD'), (2, 'B', 'DVD'), (3, 'C', 'CD'), (4, 'D', 'Vinyl'),
         (5, 'E', 'DVD'), (6, 'F', 'CD');`,
      { buildSchemaIndex, buildValueIndex },
    );
  });
  afterAll(() => music.close());
  const ask = asker(() => music);
  it('"record formats in ascending order of count" groups and orders by the count', () => {
    expect(ask('show the record formats of orchestras in ascending order of count')).toEqual([
      ['Vinyl'],
      ['DVD'],
      ['CD'],
    ]);
  });
  it('"sorted by their frequency" in descending order too', () => {
    expect(ask('the record formats of orchestras, sorted by their frequency in descending order')).toEqual([
      ['CD'],
      ['DVD'],
      ['Vinyl'],
    ]);
  });
});

describe('attributes of a word that names only columns', () => {
  // singer has Name and Song_Name: "the name of the song" is Song_Name, "the name of the singer" Name.
  let concerts: SqliteFixture<SchemaIndex>;
  beforeAll(async () => {
    concerts = await openSqliteFixture(
      `CREATE TABLE singer (Singer_ID INTEGER PRIMARY KEY, Name TEXT, Country TEXT, Song_Name TEXT,
         Song_release_year TEXT, Age INTEGER);
       INSERT INTO singer VALUES (1, 'Joe', 'France', 'Hey Oh', '2016', 52), (2, 'Tribal King', 'USA', 'Love', '2014', 25),
         (3, 'Rose', 'UK', 'Sun', '2003', 41);`,
      { buildSchemaIndex, buildValueIndex },
    );
  });
  afterAll(() => concerts.close());
  const ask = asker(() => concerts);
  it('"the name and the release year of the song" are Song_Name and Song_release_year', () => {
    expect(ask('show the name and the release year of the song by the youngest singer')).toEqual([
      ['Love', '2014'],
    ]);
  });
  it('"the names and release years for all the songs" too', () => {
    expect(ask('what are the names and release years for all the songs of the youngest singer')).toEqual([
      ['Love', '2014'],
    ]);
  });
  it('"the name of the singer" stays the singer\'s Name', () => {
    expect(ask('what is the name of the singer who is the youngest')).toEqual([['Tribal King']]);
  });
  it('"a song having \'Hey\' in its name" looks in Song_Name', () => {
    expect(ask("what is the name and country of the singer who has a song having 'Hey' in its name")).toEqual(
      [['Joe', 'France']],
    );
  });
});
