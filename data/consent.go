package data

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ConsentLevel is a parent's answer to photo consent (C1).
type ConsentLevel string

// The consent levels. Until a parent answers, a child is ConsentNotAnswered,
// which counts as no consent.
const (
	ConsentNotAnswered ConsentLevel = "not-answered"
	ConsentNone        ConsentLevel = "none"   // no photos at all
	ConsentPortal      ConsentLevel = "portal" // photos in the parent portal only
	ConsentPublic      ConsentLevel = "public" // parent portal and public: social media, website, flyers
)

// ConsentAnswers are the levels a parent can answer, least first.
var ConsentAnswers = []ConsentLevel{ConsentNone, ConsentPortal, ConsentPublic}

// IsAnswer reports whether l is one of ConsentAnswers.
func (l ConsentLevel) IsAnswer() bool { return slices.Contains(ConsentAnswers, l) }

// MayPhotograph reports whether the level allows any photo; anything but an
// answer of portal or public (not answered too) means no photos (C1).
func (l ConsentLevel) MayPhotograph() bool { return l == ConsentPortal || l == ConsentPublic }

// MayPublish reports whether photos may be used publicly.
func (l ConsentLevel) MayPublish() bool { return l == ConsentPublic }

// ConsentSource says how a parent's answer reached the location.
type ConsentSource string

// The ways a consent answer comes in (C1); paper quitclaims are not one of them.
const (
	ConsentFromParentApp ConsentSource = "parent-app"
	ConsentFromForm      ConsentSource = "form"
	ConsentFromPhone     ConsentSource = "phone"
)

// ConsentSources lists the sources in the order they are offered.
var ConsentSources = []ConsentSource{ConsentFromParentApp, ConsentFromForm, ConsentFromPhone}

// ConsentChange is one recorded answer in a child's consent history. Changes
// are only ever appended: a withdrawal is a new change, never an edit.
type ConsentChange struct {
	// Seq numbers the child's changes in the order they were recorded, from 1.
	Seq     uint64       `json:"seq"`
	ChildID ID           `json:"childId"`
	Level   ConsentLevel `json:"level"`
	// Given is the day the parent answered; it can lie before the day it is recorded.
	Given      Date          `json:"given"`
	Source     ConsentSource `json:"source"`
	RecordedBy string        `json:"recordedBy"`
	RecordedAt time.Time     `json:"recordedAt"`
	Note       string        `json:"note,omitempty"`
}

// maxConsentNote bounds a change's note.
const maxConsentNote = 500

// Validate checks a change on its own, with today as the latest possible answer day.
func (c ConsentChange) Validate(today Date) error {
	switch {
	case !c.Level.IsAnswer():
		return invalid("unknown consent level %q", c.Level)
	case !slices.Contains(ConsentSources, c.Source):
		return invalid("unknown consent source %q", c.Source)
	case strings.TrimSpace(c.RecordedBy) == "":
		return invalid("say who records the consent")
	case c.Given.IsZero():
		return invalid("say on which day the parent answered")
	case c.Given.After(today):
		return invalid("the parent's answer is dated %s, after today", c.Given)
	case len(c.Note) > maxConsentNote:
		return invalid("a note holds at most %d characters", maxConsentNote)
	}
	return nil
}

// supersedes reports whether next, recorded after cur, becomes the current
// answer: the latest answer counts, so an older form typed in late does not
// undo a newer withdrawal; on the same day the later recording wins.
func (next ConsentChange) supersedes(cur ConsentChange) bool { return !next.Given.Before(cur.Given) }

// CurrentConsent is the answer that counts now out of a history in recording
// order (C1); ok is false when the parents have not answered yet.
func CurrentConsent(history []ConsentChange) (current ConsentChange, ok bool) {
	for _, c := range history {
		if !ok || c.supersedes(current) {
			current, ok = c, true
		}
	}
	return current, ok
}

// ConsentEnded returns the end of the child's last contract when every
// contract has ended before today: photos may no longer be used (C1). A child
// without contracts, or with one running or still to start, has not ended.
func ConsentEnded(contracts []Contract, today Date) (Date, bool) {
	var last Date
	for _, c := range contracts {
		if c.End.IsZero() || !c.End.Before(today) {
			return Date{}, false
		}
		if c.End.After(last) {
			last = c.End
		}
	}
	return last, !last.IsZero()
}

// ConsentStatus is what a child's consent means today.
type ConsentStatus struct {
	Level ConsentLevel // the current answer, ConsentNotAnswered without one
	Since Date         // the day of the current answer
	// EndedOn is the last contract's end once every contract has ended; zero otherwise.
	EndedOn Date
}

// Ended reports whether the child's care, and so the use of photos, has ended.
func (s ConsentStatus) Ended() bool { return !s.EndedOn.IsZero() }

// MayPhotograph reports whether photos may be taken and used in the parent portal.
func (s ConsentStatus) MayPhotograph() bool { return !s.Ended() && s.Level.MayPhotograph() }

// MayPublish reports whether photos may also be used publicly.
func (s ConsentStatus) MayPublish() bool { return !s.Ended() && s.Level.MayPublish() }

// ChildConsent is a child's consent with its whole history, for the child's card.
type ChildConsent struct {
	Child Child
	ConsentStatus
	History []ConsentChange // in recording order
}

// ConsentRow is one child in a consent overview.
type ConsentRow struct {
	Child Child // without picture
	// Group is the group of the child's running contract, else of the latest one;
	// zero for a child without contracts.
	Group Group
	ConsentStatus
}

// RecordConsent appends an answer to the child's history and makes it the
// current one if it is the latest (C1), in one transaction. RecordedAt is set
// by the store's clock.
func (db *DB) RecordConsent(c ConsentChange) error {
	c.RecordedAt = db.now()
	c.Note = strings.TrimSpace(c.Note)
	if err := c.Validate(DateOf(c.RecordedAt)); err != nil {
		return err
	}
	return db.update(func(tx *bolt.Tx, changed *[]Change) error {
		child, err := getJSON[Child](tx.Bucket(bucketChildren), idKey(c.ChildID))
		if err != nil {
			return fmt.Errorf("child %d: %w", c.ChildID, err)
		}
		if err := db.allow(tx, ActConsent, child.LocationID, 0); err != nil {
			return err
		}
		*changed = append(*changed, Change{Kind: ChangeConsent, ChildID: c.ChildID,
			Detail: fmt.Sprintf("%s from %s", c.Level, c.Source)})
		return appendConsent(tx, c)
	})
}

// appendConsent stores c as the child's next change and updates the current
// level; the caller has validated c and checked that the child exists.
func appendConsent(tx *bolt.Tx, c ConsentChange) error {
	history, err := nestedCreate(tx.Bucket(bucketConsentHistory), idKey(c.ChildID))
	if err != nil {
		return err
	}
	if c.Seq, err = history.NextSequence(); err != nil {
		return err
	}
	if err := putJSON(history, itob(c.Seq), c); err != nil {
		return err
	}
	current := tx.Bucket(bucketConsentCurrent)
	if cur, ok := readCurrentConsent(current, c.ChildID); ok && !c.supersedes(cur) {
		return nil
	}
	return current.Put(idKey(c.ChildID), []byte(c.Given.String()+"/"+string(c.Level)))
}

// readCurrentConsent reads the index value "given/level" of consent-current:
// a fixed short text, so the attendance list reads it without decoding JSON.
func readCurrentConsent(current *bolt.Bucket, childID ID) (ConsentChange, bool) {
	if current == nil {
		return ConsentChange{}, false
	}
	raw := current.Get(idKey(childID))
	given, level, ok := strings.Cut(string(raw), "/")
	if !ok {
		return ConsentChange{}, false
	}
	d, err := ParseDate(given)
	if err != nil {
		return ConsentChange{}, false
	}
	return ConsentChange{ChildID: childID, Given: d, Level: ConsentLevel(level)}, true
}

// currentLevel is the child's consent level for the attendance list; it
// compares the stored bytes with the known levels, so it allocates nothing.
func currentLevel(current *bolt.Bucket, childID ID) ConsentLevel {
	if current != nil {
		if _, level, ok := bytes.Cut(current.Get(idKey(childID)), []byte("/")); ok {
			for _, l := range ConsentAnswers {
				if string(level) == string(l) {
					return l
				}
			}
		}
	}
	return ConsentNotAnswered
}

// Consent returns a child's consent and its history, for the child's card.
func (db *DB) Consent(childID ID) (ChildConsent, error) {
	var out ChildConsent
	today := db.Today()
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		if out.Child, err = readChild(tx, childID); err != nil {
			return err
		}
		if out.History, err = allJSON[ConsentChange](nested(tx.Bucket(bucketConsentHistory), idKey(childID))); err != nil {
			return err
		}
		contracts, err := childContracts(tx, childID, Date{}, maxDate)
		if err != nil {
			return err
		}
		out.ConsentStatus = consentStatus(out.History, contracts, today)
		return nil
	})
	return out, err
}

func consentStatus(history []ConsentChange, contracts []Contract, today Date) ConsentStatus {
	s := ConsentStatus{Level: ConsentNotAnswered}
	if cur, ok := CurrentConsent(history); ok {
		s.Level, s.Since = cur.Level, cur.Given
	}
	s.EndedOn, _ = ConsentEnded(contracts, today)
	return s
}

// ConsentOverview lists the consent of every child in a group today (groupID
// not 0), or of every child of a location, also those whose care has ended
// (groupID 0), sorted by name (C2).
func (db *DB) ConsentOverview(locationID, groupID ID) ([]ConsentRow, error) {
	today := db.Today()
	var rows []ConsentRow
	err := db.view(func(tx *bolt.Tx) error {
		current := tx.Bucket(bucketConsentCurrent)
		status := func(childID ID) ConsentStatus {
			s := ConsentStatus{Level: ConsentNotAnswered}
			if cur, ok := readCurrentConsent(current, childID); ok {
				s.Level, s.Since = cur.Level, cur.Given
			}
			return s
		}
		if groupID != 0 {
			group, err := getJSON[Group](tx.Bucket(bucketGroups), idKey(groupID))
			if err != nil {
				return fmt.Errorf("group %d: %w", groupID, err)
			}
			contracts, err := groupContracts(tx, groupID, today)
			if err != nil {
				return err
			}
			seen := map[ID]bool{}
			for _, c := range contracts {
				if seen[c.ChildID] || !c.Runs(today) {
					continue
				}
				seen[c.ChildID] = true
				child, err := getJSON[Child](tx.Bucket(bucketChildren), idKey(c.ChildID))
				if err != nil {
					return fmt.Errorf("child %d: %w", c.ChildID, err)
				}
				rows = append(rows, ConsentRow{Child: child, Group: group, ConsentStatus: status(c.ChildID)})
			}
			return nil
		}
		groups := map[ID]Group{}
		all, err := allJSON[Group](tx.Bucket(bucketGroups))
		if err != nil {
			return err
		}
		for _, g := range all {
			groups[g.ID] = g
		}
		children, err := locationChildren(tx, locationID)
		if err != nil {
			return err
		}
		for _, child := range children {
			// A child whose personal data are removed has no consent left to show.
			if !child.RemovedOn.IsZero() {
				continue
			}
			contracts, err := childContracts(tx, child.ID, Date{}, maxDate)
			if err != nil {
				return err
			}
			row := ConsentRow{Child: child, ConsentStatus: status(child.ID)}
			row.EndedOn, _ = ConsentEnded(contracts, today)
			if c, ok := mainContract(contracts, today); ok {
				row.Group = groups[c.GroupID]
			}
			rows = append(rows, row)
		}
		return nil
	})
	SortByName(rows, func(r ConsentRow) Child { return r.Child })
	return rows, err
}

// mainContract picks the contract that places a child in a group: one that
// runs today, else the one that starts last (a coming one, or the last ended).
func mainContract(contracts []Contract, today Date) (Contract, bool) {
	var best Contract
	found := false
	for _, c := range contracts {
		switch {
		case c.Runs(today):
			return c, true
		case !found || c.Start.After(best.Start):
			best, found = c, true
		}
	}
	return best, found
}
