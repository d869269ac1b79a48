package data_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"locatiedesk/data"
)

// importLog records what applying an import writes, in order.
type importLog struct {
	writes []string
	next   data.ID
}

func (w *importLog) id() data.ID { w.next++; return w.next }

func (w *importLog) AddSchool(name string) (data.ID, error) {
	id := w.id()
	w.writes = append(w.writes, fmt.Sprintf("school %d %s", id, name))
	return id, nil
}

func (w *importLog) PutChild(c, stored data.Child) (data.ID, error) {
	if c.ID == 0 {
		c.ID = w.id()
	}
	w.writes = append(w.writes, fmt.Sprintf("child %d %s school %d (was %q)", c.ID, c.FirstName, c.SchoolID, stored.FirstName))
	return c.ID, nil
}

func (w *importLog) AddContract(c data.Contract) (data.ID, error) {
	id := w.id()
	w.writes = append(w.writes, fmt.Sprintf("contract %d of child %d from %s continues %d", id, c.ChildID, c.Start, c.Continues))
	return id, nil
}

func (w *importLog) ChangeContract(old, next data.Contract) error {
	w.writes = append(w.writes, fmt.Sprintf("contract %d of child %d: %s..%s", old.ID, next.ChildID, next.Start, next.End))
	return nil
}

func TestApplyChildImport(t *testing.T) {
	d := data.NewDate(2026, time.September, 1)
	plan := data.ChildImportPlan{
		NewSchools: []string{"De Regenboog"},
		Children: []data.ChildPlan{
			{Line: 2, Action: data.ImportCreate, Child: data.Child{FirstName: "Sem"}, NewSchool: "De Regenboog", Contracts: []data.ContractPlan{
				{Line: 2, Action: data.ImportCreate, New: data.Contract{Start: d}},
				{Line: 3, Action: data.ImportCreate, New: data.Contract{Start: d.AddDays(30)}, ContinuesPlan: 1},
			}},
			{Line: 4, Action: data.ImportUnchanged, Child: data.Child{ID: 9, FirstName: "Bo"}, Contracts: []data.ContractPlan{
				{Line: 4, Action: data.ImportVersion, Old: data.Contract{ID: 20, ChildID: 9, Start: d.AddDays(-100)}, New: data.Contract{Start: d}},
				{Line: 5, Action: data.ImportEnd, Old: data.Contract{ID: 21, ChildID: 9, Start: d.AddDays(-100)}, New: data.Contract{ID: 21, Start: d.AddDays(-100), End: d}},
			}},
			{Line: 6, Action: data.ImportChange, Child: data.Child{ID: 10, FirstName: "Anna"}, Stored: data.Child{ID: 10, FirstName: "Ana"}},
		},
	}
	w := &importLog{}
	if err := data.ApplyChildImport(plan, w); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"school 1 De Regenboog",
		"child 2 Sem school 1 (was \"\")",
		fmt.Sprintf("contract 3 of child 2 from %s continues 0", d),
		fmt.Sprintf("contract 4 of child 2 from %s continues 3", d.AddDays(30)),
		fmt.Sprintf("contract 20 of child 9: %s..%s", d.AddDays(-100), d.AddDays(-1)),
		fmt.Sprintf("contract 5 of child 9 from %s continues 0", d),
		fmt.Sprintf("contract 21 of child 9: %s..%s", d.AddDays(-100), d),
		"child 10 Anna school 0 (was \"Ana\")",
	}
	if !slices.Equal(w.writes, want) {
		t.Errorf("writes\n%q\nwant\n%q", w.writes, want)
	}

	bad := data.ChildImportPlan{Children: []data.ChildPlan{{Line: 7, Contracts: []data.ContractPlan{{Line: 7, Action: "merge"}}}}}
	if err := data.ApplyChildImport(bad, &importLog{}); err == nil {
		t.Error("an unknown action applied")
	}
	var ie *data.ImportError
	if err := (data.ChildImportPlan{Problems: []data.LineError{{Line: 3}}}).Checked(); !errors.As(err, &ie) || len(ie.Lines) != 1 {
		t.Errorf("a plan with a problem: %v, want an ImportError of its line", err)
	}
	if err := plan.Checked(); err != nil {
		t.Errorf("a plan without problems: %v", err)
	}
	changes := data.ChildImportChanges("kinderen.csv", plan)
	if len(changes) != 3 || changes[0].Kind != data.ChangeCatalog || changes[0].Detail != "import kinderen.csv: 1 children added, 1 changed; 2 contracts added, 1 changed, 1 ended" {
		t.Errorf("changes %+v", changes)
	}
}
