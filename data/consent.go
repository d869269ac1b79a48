package data

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
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

// MaxConsentNote bounds a change's note, in characters.
const MaxConsentNote = 500

// The codes of refusals of photo consent (C1).
const (
	RefuseConsentLevel      = "consent-level"       // not none, portal or public
	RefuseConsentSource     = "consent-source"      // not the parent app, a form or the phone
	RefuseConsentNoRecorder = "consent-no-recorder" // nobody named as recording it
	RefuseConsentNoDate     = "consent-no-date"
	RefuseConsentLater      = "consent-after-today" // an answer dated after today
	RefuseConsentNoteLong   = "consent-note-long"
	RefuseConsentNoImporter = "consent-no-importer" // a file imported without naming who
)

var consentRefusals = map[string]RefusalText{
	RefuseConsentLevel:      {Text: "Choose the parents' answer: no photos, parent portal only, or portal and public."},
	RefuseConsentSource:     {Text: "Choose how the answer came in: parent app, form or phone."},
	RefuseConsentNoRecorder: {Text: "Say who records the consent."},
	RefuseConsentNoDate:     {Text: "Say on which day the parent answered."},
	RefuseConsentLater:      {Text: "The parent's answer is dated {{.Date}}, after today."},
	RefuseConsentNoteLong:   {Text: "A note holds at most {{.Max}} characters."},
	RefuseConsentNoImporter: {Text: "Say who imports the file."},
}

// Validate checks a change on its own, with today as the latest possible answer day.
func (c ConsentChange) Validate(today Date) error {
	switch {
	case !c.Level.IsAnswer():
		return Refuse(RefuseConsentLevel, nil)
	case !slices.Contains(ConsentSources, c.Source):
		return Refuse(RefuseConsentSource, nil)
	case strings.TrimSpace(c.RecordedBy) == "":
		return Refuse(RefuseConsentNoRecorder, nil)
	case c.Given.IsZero():
		return Refuse(RefuseConsentNoDate, nil)
	case c.Given.After(today):
		return Refuse(RefuseConsentLater, Args{"Date": c.Given})
	case utf8.RuneCountInString(c.Note) > MaxConsentNote:
		return Refuse(RefuseConsentNoteLong, Args{"Max": MaxConsentNote})
	}
	return nil
}

// Supersedes reports whether next, recorded after cur, becomes the current
// answer: the latest answer counts, so an older form typed in late does not
// undo a newer withdrawal; on the same day the later recording wins.
func (next ConsentChange) Supersedes(cur ConsentChange) bool { return !next.Given.Before(cur.Given) }

// CurrentConsent is the answer that counts now out of a history in recording
// order (C1); ok is false when the parents have not answered yet.
func CurrentConsent(history []ConsentChange) (current ConsentChange, ok bool) {
	for _, c := range history {
		if !ok || c.Supersedes(current) {
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

// ConsentStatusOf is a child's consent today from the history of answers
// and the child's contracts (whether care has ended).
func ConsentStatusOf(history []ConsentChange, contracts []Contract, today Date) ConsentStatus {
	s := ConsentStatus{Level: ConsentNotAnswered}
	if cur, ok := CurrentConsent(history); ok {
		s.Level, s.Since = cur.Level, cur.Given
	}
	s.EndedOn, _ = ConsentEnded(contracts, today)
	return s
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
