package boltstore

import (
	"cmp"
	"context"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"locatiedesk/data"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	bolt "go.etcd.io/bbolt"
)

// ImportConsent reads a consent file as a parent portal exports it and
// records every answer as coming from the parent app, in one transaction: when
// any line is wrong it returns an *ImportError listing them all, and stores nothing.
func (db *DB) ImportConsent(ctx context.Context, r io.Reader, by, note string) (data.ConsentImportResult, error) {
	var result data.ConsentImportResult
	now := db.now()
	today := data.DateOf(now)
	if strings.TrimSpace(by) == "" {
		return result, data.Refuse(data.RefuseConsentNoImporter, nil)
	}
	lines, problems := data.ParseConsentCSV(r)
	err := db.update(ctx, data.AuditImportConsent, func(tx *bolt.Tx, changed *[]data.Change) error {
		children, err := allJSON[data.Child](tx.Bucket(bucketChildren))
		if err != nil {
			return err
		}
		byID := map[data.ID]data.Child{}
		byName := map[string][]data.ID{}
		for _, c := range children {
			byID[c.ID] = c
			key := childKey(c.Name(), c.BirthDate)
			byName[key] = append(byName[key], c.ID)
		}
		changes := make([]data.ConsentChange, 0, len(lines))
		for _, l := range lines {
			who := l.Name + " (" + l.BirthDate.String() + ")" // a line without id has both
			childID := l.ChildID
			switch found := byName[childKey(l.Name, l.BirthDate)]; {
			case childID != 0:
				c, ok := byID[childID]
				switch {
				case !ok:
					problems = append(problems, data.LineError{Line: l.Line, Problem: data.ProblemUnknownChild, Value: strconv.FormatUint(uint64(childID), 10)})
				case l.Name != "" && childKey(l.Name, data.Date{}) != childKey(c.Name(), data.Date{}),
					!l.BirthDate.IsZero() && l.BirthDate != c.BirthDate:
					problems = append(problems, data.LineError{Line: l.Line, Problem: data.ProblemMismatch, Value: strconv.FormatUint(uint64(childID), 10)})
				}
			case len(found) == 0:
				problems = append(problems, data.LineError{Line: l.Line, Problem: data.ProblemUnknownChild, Value: who})
			case len(found) > 1:
				problems = append(problems, data.LineError{Line: l.Line, Problem: data.ProblemAmbiguous, Value: who})
			default:
				childID = found[0]
			}
			if l.Given.After(today) {
				problems = append(problems, data.LineError{Line: l.Line, Problem: data.ProblemFutureDate, Value: l.Given.String()})
			}
			if child, ok := byID[childID]; ok {
				if err := db.allow(tx, data.ActConsent, child.LocationID, 0); err != nil {
					return err
				}
			}
			changes = append(changes, data.ConsentChange{ChildID: childID, Level: l.Level, Given: l.Given,
				Source: data.ConsentFromParentApp, RecordedBy: by, RecordedAt: now, Note: note})
		}
		if len(problems) > 0 {
			slices.SortStableFunc(problems, func(a, b data.LineError) int { return cmp.Compare(a.Line, b.Line) })
			return &data.ImportError{Lines: problems}
		}
		for _, c := range changes {
			if consentRecorded(tx, c) {
				result.Unchanged++
				continue
			}
			if err := c.Validate(today); err != nil {
				return err
			}
			if err := appendConsent(tx, c); err != nil {
				return err
			}
			result.Imported++
		}
		if result.Imported > 0 {
			*changed = append(*changed, data.Change{Kind: data.ChangeConsent})
		}
		return nil
	})
	if err != nil {
		return data.ConsentImportResult{}, err
	}
	return result, nil
}

// consentRecorded reports whether the child's history already holds the same
// answer from the same source on the same day, so importing a file twice adds nothing.
func consentRecorded(tx *bolt.Tx, c data.ConsentChange) bool {
	history, _ := allJSON[data.ConsentChange](nested(tx.Bucket(bucketConsentHistory), idKey(c.ChildID)))
	for _, h := range history {
		if h.Level == c.Level && h.Given == c.Given && h.Source == c.Source {
			return true
		}
	}
	return false
}

// childKey matches a child by name and birth date the way a portal may spell
// the name: any case, any spacing, with or without accents (Zoë, Zoe).
func childKey(name string, birth data.Date) string {
	plain, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), name)
	if err != nil {
		plain = name
	}
	return strings.Join(strings.Fields(strings.ToLower(plain)), " ") + "|" + birth.String()
}
