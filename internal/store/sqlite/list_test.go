package sqlite

import (
	"database/sql/driver"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/connectlocal/connectlocal/internal/store"
)

// Each kind's List reads one index in storing order: the listed kinds records_list,
// which a word-for-word copy of its WHERE term in the statement lets SQLite take, and
// the unlisted kinds the key's index, which leaves a sort.
func TestTheListingIndexServesOnlyTheListedKinds(t *testing.T) {
	db := openBatched(t)
	for kind, want := range map[string]string{
		"contact":    "USING INDEX records_list",
		"file":       "USING INDEX sqlite_autoindex_records_1",
		"email-body": "USING INDEX sqlite_autoindex_records_1",
	} {
		if plan := queryPlan(t, db, listQuery(kind), "acct", kind, "inst", 0, -1); !hasStep(plan, want) {
			t.Errorf("List of %s: plan %q, want a step %s", kind, plan, want)
		}
	}
}

// A look-up by name searches the name's index. Without the index's own WHERE term in
// the statement SQLite walked the key's index through every record of the kind, reading
// each row for its name: the flows' look-up of StartEmailContact's default flow read ten.
// ExistsByName reads the index alone.
func TestNameLookUpsSearchTheNameIndex(t *testing.T) {
	db := openBatched(t)
	for query, want := range map[string]string{
		qGetByName:    "USING INDEX records_name (account=? AND kind=? AND instance=? AND name=?)",
		qExistsByName: "USING COVERING INDEX records_name (account=? AND kind=? AND instance=? AND name=?)",
	} {
		if plan := queryPlan(t, db, query, "acct", "queue", "inst", "Support"); !hasStep(plan, want) {
			t.Errorf("%s: plan %q, want a step %s", query, plan, want)
		}
	}
}

// queryPlan returns the steps of SQLite's plan for query.
func queryPlan(t *testing.T, db *DB, query string, args ...any) []string {
	t.Helper()
	var plan []string
	err := db.View(t.Context(), func(st store.Tx) error {
		return st.(*tx).c.queryRows(4, func(row []driver.Value) bool {
			plan = append(plan, text(row[3]))
			return true
		}, "EXPLAIN QUERY PLAN "+query, args...)
	})
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

func hasStep(plan []string, want string) bool {
	return slices.ContainsFunc(plan, func(step string) bool { return strings.Contains(step, want) })
}

// The unlisted kinds list as every kind does: all of an instance's records, in storing
// order (not their IDs'), page by page; and DeleteInstance removes them.
func TestUnlistedKindsListInStoringOrder(t *testing.T) {
	db := openBatched(t)
	ctx := t.Context()
	kinds := []string{"contact", "file", "email-body"}
	ids := []string{"c", "b", "a"} // stored in this order, the reverse of theirs
	err := db.Update(ctx, func(tx store.Tx) error {
		for _, kind := range kinds {
			for _, inst := range []string{"inst", "other"} {
				for _, id := range ids {
					if err := tx.Put(ctx, store.Record{Account: "acct", Kind: kind, Instance: inst, ID: id, Data: []byte(inst)}); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	list := func(kind, inst string) []string {
		var got []string
		err := db.View(ctx, func(tx store.Tx) error {
			page := store.Page{Account: "acct", Kind: kind, Instance: inst, Limit: 2}
			for {
				res, err := tx.List(ctx, page)
				if err != nil {
					return err
				}
				for _, r := range res.Records {
					got = append(got, fmt.Sprintf("%s/%s", r.ID, r.Data))
				}
				if page.After = res.Next; page.After == "" {
					return nil
				}
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	for _, kind := range kinds {
		if got, want := list(kind, "inst"), []string{"c/inst", "b/inst", "a/inst"}; !slices.Equal(got, want) {
			t.Errorf("List of %s: %v, want %v", kind, got, want)
		}
	}
	if err := db.Update(ctx, func(tx store.Tx) error { return tx.DeleteInstance(ctx, "acct", "inst") }); err != nil {
		t.Fatal(err)
	}
	for _, kind := range kinds {
		if got := list(kind, "inst"); len(got) > 0 {
			t.Errorf("List of %s after DeleteInstance: %v, want none", kind, got)
		}
		if got, want := list(kind, "other"), []string{"c/other", "b/other", "a/other"}; !slices.Equal(got, want) {
			t.Errorf("List of %s in the other instance after DeleteInstance: %v, want %v", kind, got, want)
		}
	}
}

// A database made before migration 0006 keeps every record listable, through the
// partial records_list or the key's index.
func TestMigration0006KeepsEveryRecordListable(t *testing.T) {
	path := oldDatabase(t, 5, `INSERT INTO records (account, kind, instance, id, data, created, updated) VALUES
		('acct', 'file', 'inst', 'f2', '{}', 1, 1), ('acct', 'contact', 'inst', 'c2', '{}', 1, 1),
		('acct', 'file', 'inst', 'f1', '{}', 1, 1), ('acct', 'contact', 'inst', 'c1', '{}', 1, 1)`)
	db, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for kind, want := range map[string][]string{"file": {"f2", "f1"}, "contact": {"c2", "c1"}} {
		var got []string
		err := db.View(t.Context(), func(tx store.Tx) error {
			res, err := tx.List(t.Context(), store.Page{Account: "acct", Kind: kind, Instance: "inst"})
			for _, r := range res.Records {
				got = append(got, r.ID)
			}
			return err
		})
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("List of %s after the migration: %v, %v; want %v", kind, got, err, want)
		}
	}
}
