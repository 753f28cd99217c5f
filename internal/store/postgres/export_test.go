package postgres

// Statements whose plans the tests check.
var (
	QGetByName    = qGetByName
	QExistsByName = qExistsByName
	QPut          = qPut
)
