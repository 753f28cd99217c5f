package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"sync"
)

// conn is one SQLite connection, held out of its database/sql pool for good and driven
// through the driver's own interfaces. Its statements are prepared once and kept.
// database/sql would make every statement of a transaction a Stmt of its own, take
// several locks and convert every value; for the one-row statements a request runs that
// bookkeeping costs about half as much as SQLite's own work.
type conn struct {
	sc    *sql.Conn
	dc    driver.ConnPrepareContext // the driver connection, set only inside do
	stmts map[string]driver.Stmt
	// failures counts the statements that failed, the batcher's sign that SQLite may
	// have rolled its transaction back (see batcher.stillOpen).
	failures uint64
}

func newConn(ctx context.Context, db *sql.DB) (*conn, error) {
	sc, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: connect: %w", err)
	}
	return &conn{sc: sc, stmts: map[string]driver.Stmt{}}, nil
}

// do runs fn with the driver connection at hand, as database/sql allows only inside
// Raw. A panic in fn is re-raised after Raw returns, so that Raw does not throw the
// connection (and the statements prepared on it) away: the caller has rolled back.
func (c *conn) do(fn func() error) error {
	var panicked any
	err := c.sc.Raw(func(dc any) (err error) {
		c.dc = dc.(driver.ConnPrepareContext)
		defer func() {
			c.dc = nil
			panicked = recover()
		}()
		return fn()
	})
	if panicked != nil {
		panic(panicked)
	}
	return err
}

// stmt returns the statement prepared for query, preparing it the first time.
func (c *conn) stmt(query string) (driver.Stmt, error) {
	if s, ok := c.stmts[query]; ok {
		return s, nil
	}
	s, err := c.dc.PrepareContext(context.Background(), query)
	if err != nil {
		return nil, fmt.Errorf("prepare %q: %w", query, err)
	}
	c.stmts[query] = s
	return s, nil
}

// args numbers values as the driver takes them: of the Go types a query here passes,
// only int is not a driver.Value.
func args(values []any) []driver.NamedValue {
	named := make([]driver.NamedValue, len(values))
	for i, v := range values {
		if n, ok := v.(int); ok {
			v = int64(n)
		}
		named[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return named
}

// exec runs a statement that returns no rows. It is never interrupted (see tx).
func (c *conn) exec(query string, values ...any) (driver.Result, error) {
	s, err := c.stmt(query)
	if err != nil {
		return nil, err
	}
	res, err := s.(driver.StmtExecContext).ExecContext(context.Background(), args(values))
	if err != nil {
		c.failures++
	}
	return res, err
}

// query runs a statement that returns rows, which the caller must close.
func (c *conn) query(query string, values ...any) (driver.Rows, error) {
	s, err := c.stmt(query)
	if err != nil {
		return nil, err
	}
	rows, err := s.(driver.StmtQueryContext).QueryContext(context.Background(), args(values))
	if err != nil {
		c.failures++
	}
	return rows, err
}

// queryRow reads the first row of a query into dest, one value per column.
// Returns errNoRows if there is none.
func (c *conn) queryRow(dest []driver.Value, query string, values ...any) error {
	rows, err := c.query(query, values...)
	if err != nil {
		return err
	}
	defer rows.Close()
	return c.next(rows, dest)
}

// queryRows calls fn with each row of a query, n values to a row, until the rows end
// or fn returns false. fn may keep the values but not the slice, which is reused.
func (c *conn) queryRows(n int, fn func(row []driver.Value) bool, query string, values ...any) error {
	rows, err := c.query(query, values...)
	if err != nil {
		return err
	}
	defer rows.Close()
	row := make([]driver.Value, n)
	for {
		err := c.next(rows, row)
		if errors.Is(err, errNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if !fn(row) {
			return nil
		}
	}
}

// commit commits the transaction under way. A COMMIT that fails may leave it open
// (SQLite keeps it on SQLITE_BUSY, for one), and the connection must not stay inside
// it: it is rolled back.
func (c *conn) commit() error {
	_, err := c.exec(qCommit)
	if err != nil {
		_, _ = c.exec(qRollback) // fails harmlessly if the transaction is gone
	}
	return err
}

var errNoRows = errors.New("no rows")

// next reads the next row into dest; errNoRows after the last.
func (c *conn) next(rows driver.Rows, dest []driver.Value) error {
	err := rows.Next(dest)
	if errors.Is(err, io.EOF) {
		return errNoRows
	}
	if err != nil {
		c.failures++
	}
	return err
}

// close closes the statements and hands the connection back to database/sql, which
// closes it (readers keep no idle connections there) or does when its pool closes.
func (c *conn) close() error {
	err := c.do(func() error {
		var errs []error
		for _, s := range c.stmts {
			errs = append(errs, s.Close())
		}
		return errors.Join(errs...)
	})
	return errors.Join(err, c.sc.Close())
}

// readers is the pool of connections View runs on, opened as Views need them.
type readers struct {
	db      *sql.DB
	idle    chan *conn
	room    chan struct{} // holds a token for every open connection
	warming sync.WaitGroup
}

func newReaders(db *sql.DB, n int) *readers {
	return &readers{db: db, idle: make(chan *conn, n), room: make(chan struct{}, n)}
}

// get returns an idle connection, a new one if there is room for it, or else the
// first one another View gives back.
func (p *readers) get(ctx context.Context) (*conn, error) {
	select {
	case c := <-p.idle:
		return c, nil
	default:
	}
	select {
	case c := <-p.idle:
		return c, nil
	case p.room <- struct{}{}:
		c, err := newConn(ctx, p.db)
		if err != nil {
			<-p.room
			return nil, err
		}
		return c, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (p *readers) put(c *conn) { p.idle <- c }

// warm opens a connection in the background, so that the first View after start-up
// finds one: opening it (the driver's connection and its pragmas) takes a millisecond
// or more, which the first request would otherwise wait for. A failure is left for
// that View to meet again and report.
func (p *readers) warm() {
	select {
	case p.room <- struct{}{}:
	default:
		return
	}
	p.warming.Go(func() {
		c, err := newConn(context.Background(), p.db)
		if err != nil {
			<-p.room
			return
		}
		p.put(c)
	})
}

// close closes the pool's connections; none may be in use.
func (p *readers) close() error {
	p.warming.Wait()
	var errs []error
	for {
		select {
		case c := <-p.idle:
			errs = append(errs, c.close())
		default:
			return errors.Join(errs...)
		}
	}
}
