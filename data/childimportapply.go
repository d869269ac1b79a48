package data

import (
	"errors"
	"fmt"
)

// ChildImportWriter is what applying a children file writes, inside the
// store's one transaction.
type ChildImportWriter interface {
	AddSchool(name string) (ID, error)
	// PutChild stores c, which was stored as stored; a new child (ID 0)
	// gets its number here.
	PutChild(c, stored Child) (ID, error)
	AddContract(c Contract) (ID, error)
	ChangeContract(old, next Contract) error
}

// ApplyChildImport writes a plan without problems through w: the new
// schools first, then per child its details and its contracts in the plan's
// order, a new version (M2) as the old one ended and the new one added.
func ApplyChildImport(plan ChildImportPlan, w ChildImportWriter) error {
	schoolIDs := map[string]ID{}
	for _, name := range plan.NewSchools {
		id, err := w.AddSchool(name)
		if err != nil {
			return fmt.Errorf("add school %q: %w", name, err)
		}
		schoolIDs[ImportNameKey(name)] = id
	}
	for _, cp := range plan.Children {
		c := cp.Child
		if cp.NewSchool != "" {
			c.SchoolID = schoolIDs[ImportNameKey(cp.NewSchool)]
		}
		switch cp.Action {
		case ImportCreate, ImportChange:
			var err error
			if c.ID, err = w.PutChild(c, cp.Stored); err != nil {
				return fmt.Errorf("line %d: %w", cp.Line, err)
			}
		}
		made := make([]ID, len(cp.Contracts)) // the IDs the plans' new contracts get
		for j, k := range cp.Contracts {
			next := k.New
			next.ChildID = c.ID
			if k.ContinuesPlan > 0 {
				next.Continues = made[k.ContinuesPlan-1]
			}
			var err error
			switch k.Action {
			case ImportCreate:
				next.ID, err = w.AddContract(next)
			case ImportChange, ImportEnd:
				err = w.ChangeContract(k.Old, next)
			case ImportVersion:
				ended := k.Old
				ended.End = next.Start.AddDays(-1)
				if err = w.ChangeContract(k.Old, ended); err == nil {
					next.ID, err = w.AddContract(next)
				}
			default:
				err = errors.New("unknown import action " + string(k.Action))
			}
			if err != nil {
				return fmt.Errorf("line %d: %w", k.Line, err)
			}
			made[j] = next.ID
		}
	}
	return nil
}

// Checked is the plan's refusal: an *ImportError with every bad line, or nil.
func (p ChildImportPlan) Checked() error {
	if len(p.Problems) > 0 {
		return &ImportError{Lines: p.Problems}
	}
	return nil
}

// ChildImportChanges are the change-feed entries of the import of the file
// name as plan: it adds and changes children, their planning and consent.
func ChildImportChanges(name string, plan ChildImportPlan) []Change {
	n := plan.Counts()
	return []Change{{Kind: ChangeCatalog, Detail: fmt.Sprintf(
		"import %s: %d children added, %d changed; %d contracts added, %d changed, %d ended",
		name, n.ChildrenCreated, n.ChildrenChanged, n.ContractsCreated, n.ContractsChanged, n.ContractsEnded)},
		{Kind: ChangePlanning}, {Kind: ChangeConsent}}
}
