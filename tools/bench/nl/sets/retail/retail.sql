-- A small retail database written the way many production schemas are: tbl_ prefixes,
-- CamelCase, abbreviations (cust_nm, qty_ord, dt_created), Hungarian prefixes (strCity),
-- flags (is_active) and codes (status_cd). Comments are in retail.comments.json (SQLite keeps none).
CREATE TABLE tbl_Customer (
  CustID INTEGER PRIMARY KEY,
  cust_nm TEXT NOT NULL,
  strCity TEXT,
  strCountry TEXT,
  EmailAddr TEXT,
  dt_created TEXT NOT NULL,
  is_active INTEGER NOT NULL
);
CREATE TABLE tbl_Product (
  ProdID INTEGER PRIMARY KEY,
  ProductName TEXT NOT NULL,
  CategoryCode TEXT NOT NULL,
  UnitPrice REAL NOT NULL,
  qty_on_hand INTEGER NOT NULL,
  is_discontinued INTEGER NOT NULL
);
CREATE TABLE tbl_Employee (
  EmpID INTEGER PRIMARY KEY,
  FullName TEXT NOT NULL,
  HireDate TEXT NOT NULL,
  dept_nm TEXT NOT NULL,
  AnnualSal REAL NOT NULL
);
CREATE TABLE tbl_SalesOrder (
  OrderID INTEGER PRIMARY KEY,
  CustID INTEGER NOT NULL REFERENCES tbl_Customer(CustID),
  EmpID INTEGER REFERENCES tbl_Employee(EmpID),
  OrderDate TEXT NOT NULL,
  ship_region TEXT,
  status_cd TEXT NOT NULL,
  TotalAmt REAL NOT NULL
);
CREATE TABLE tbl_OrderLine (
  LineID INTEGER PRIMARY KEY,
  OrderID INTEGER NOT NULL REFERENCES tbl_SalesOrder(OrderID),
  ProdID INTEGER NOT NULL REFERENCES tbl_Product(ProdID),
  qty_ord INTEGER NOT NULL,
  LinePrice REAL NOT NULL
);
INSERT INTO tbl_Customer VALUES
 (1,'Anna Schmidt','Berlin','Germany','anna@example.de','2023-03-14',1),
 (2,'Luc Martin','Lyon','France','luc@example.fr','2023-07-02',1),
 (3,'Maria Rossi','Milan','Italy','maria@example.it','2024-01-20',0),
 (4,'John Smith','Leeds','United Kingdom','john@example.co.uk','2024-05-11',1),
 (5,'Eva Novak','Prague','Czechia',NULL,'2024-09-30',1),
 (6,'Pedro Alves','Porto','Portugal','pedro@example.pt','2022-11-08',0),
 (7,'Sofia Berg','Munich','Germany','sofia@example.de','2025-02-17',1),
 (8,'Tom Dubois','Paris','France','tom@example.fr','2025-06-03',1);
INSERT INTO tbl_Product VALUES
 (1,'Laptop Pro 14','ELEC',1299.0,12,0),
 (2,'Wireless Mouse','ELEC',25.5,150,0),
 (3,'Office Chair','FURN',189.0,30,0),
 (4,'Standing Desk','FURN',449.0,0,0),
 (5,'Coffee Beans 1kg','FOOD',18.9,80,0),
 (6,'Green Tea','FOOD',6.5,0,1),
 (7,'Monitor 27','ELEC',329.0,20,0),
 (8,'Desk Lamp','FURN',39.0,45,1);
INSERT INTO tbl_Employee VALUES
 (1,'Clara Weiss','2019-04-01','Sales',52000),
 (2,'Omar Haddad','2021-09-15','Sales',48000),
 (3,'Lena Fischer','2018-01-10','Support',45000),
 (4,'Marco Bianchi','2023-06-05','Sales',41000);
INSERT INTO tbl_SalesOrder VALUES
 (1,1,1,'2024-02-10','Germany','delivered',1324.5),
 (2,2,2,'2024-03-05','France','delivered',189.0),
 (3,1,1,'2024-06-21','Germany','shipped',449.0),
 (4,4,4,'2024-08-14','United Kingdom','pending',37.8),
 (5,5,2,'2024-11-02','Czechia','cancelled',329.0),
 (6,7,1,'2025-03-01','Germany','pending',1628.0),
 (7,8,4,'2025-06-20','France','shipped',64.5),
 (8,2,2,'2025-07-04','France','pending',18.9),
 (9,4,NULL,'2025-08-09','United Kingdom','delivered',658.0),
 (10,1,1,'2025-09-12','Germany','delivered',51.0);
INSERT INTO tbl_OrderLine VALUES
 (1,1,1,1,1299.0),(2,1,2,1,25.5),(3,2,3,1,189.0),(4,3,4,1,449.0),(5,4,5,2,37.8),
 (6,5,7,1,329.0),(7,6,1,1,1299.0),(8,6,7,1,329.0),(9,7,2,1,25.5),(10,7,8,1,39.0),
 (11,8,5,1,18.9),(12,9,7,2,658.0),(13,10,2,2,51.0);
