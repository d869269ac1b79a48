package data

import (
	"bytes"
	"image"
	_ "image/jpeg" // a child's picture may be JPEG
	_ "image/png"  // or PNG
	"slices"
	"strings"
)

// The codes of refusals of children, their pictures and their contracts (M1–M3).
const (
	RefuseChildNoName          = "child-no-name"
	RefuseChildNoBirthDate     = "child-no-birth-date"
	RefuseChildBornLater       = "child-born-later"      // a birth date after today
	RefuseChildNumberSpaces    = "child-number-spaces"   // spaces around the planning-system number
	RefuseChildContactNoName   = "child-contact-no-name" // a parent or contact without a name
	RefuseChildPictureTooBig   = "child-picture-too-big"
	RefuseChildPictureFormat   = "child-picture-format" // not PNG or JPEG
	RefuseChildNumberTaken     = "child-number-taken"
	RefuseChildRemoved         = "child-removed" // the personal data were removed (retention)
	RefuseChildNothingToMove   = "child-nothing-to-move"
	RefuseChildInGroupAlready  = "child-in-group-already"
	RefuseChildNothingToEnd    = "child-nothing-to-end"
	RefuseContractProduct      = "contract-product" // not a product Locatiedesk knows
	RefuseContractNoStart      = "contract-no-start"
	RefuseContractEndsEarly    = "contract-ends-before-start"
	RefuseContractTimes        = "contract-times" // care on a weekday ends before it starts
	RefuseContractCare         = "contract-care"  // the group's care type does not sell the product
	RefuseContractNegative     = "contract-negative-credit"
	RefuseContractCreditNoDays = "contract-credit-no-days" // a credit product with weekdays
	RefuseContractHolidayDays  = "contract-holiday-days"   // a holiday contract gives days, no hours
	RefuseContractFlexHours    = "contract-flex-hours"     // a Qflexibel contract gives hours, no days
	RefuseContractNoWeekday    = "contract-no-weekday"
	RefuseContractDaysNoCredit = "contract-days-no-credit" // a care product with credit
	RefuseContractWeekdayTwice = "contract-weekday-twice"
	RefuseContractOtherPlace   = "contract-other-location" // a group at another location than the child
	RefuseContractOverlap      = "contract-overlap"
	RefuseContractNotRunning   = "contract-not-running" // a new version must start on a day the contract runs
)

var childRefusals = map[string]RefusalText{
	RefuseChildNoName:          {Text: "A child needs a first and a last name."},
	RefuseChildNoBirthDate:     {Text: "{{.Name}} needs a birth date."},
	RefuseChildBornLater:       {Text: "The birth date of {{.Name}}, {{.Date}}, is after today."},
	RefuseChildNumberSpaces:    {Text: "Child number “{{.Number}}” has spaces before or after it."},
	RefuseChildContactNoName:   {Text: "Every parent or contact of {{.Name}} needs a name."},
	RefuseChildPictureTooBig:   {Text: "The picture is {{.Size}} kB; at most {{.Max}} kB fits. Choose a smaller picture."},
	RefuseChildPictureFormat:   {Text: "The picture is not a PNG or JPEG image."},
	RefuseChildNumberTaken:     {Text: "Child number {{.Number}} belongs to another child already."},
	RefuseChildRemoved:         {Text: "The personal data of this child were removed; the child cannot be changed."},
	RefuseChildNothingToMove:   {Text: "{{.Name}} has no contract on or after {{.Date}} to move."},
	RefuseChildInGroupAlready:  {Text: "{{.Name}} is in group {{.Group}} from {{.Date}} already."},
	RefuseChildNothingToEnd:    {Text: "{{.Name}} has no contract after {{.Date}} to end."},
	RefuseContractProduct:      {Text: "Unknown product {{.Product}}."},
	RefuseContractNoStart:      {Text: "A contract needs a start date."},
	RefuseContractEndsEarly:    {Text: "The contract ends on {{.End}}, before it starts on {{.Start}}."},
	RefuseContractTimes:        {Text: "Care on {{.Weekday}} ends before it starts."},
	RefuseContractCare:         {Text: "Group {{.Group}} is a {{.Care}} group; the product {{.Product}} is not sold there."},
	RefuseContractNegative:     {Text: "Holiday days and flexible hours cannot be negative."},
	RefuseContractCreditNoDays: {Text: "The product {{.Product}} gives credit, not weekdays with times."},
	RefuseContractHolidayDays:  {Text: "A holiday contract gives a number of holiday days, no hours."},
	RefuseContractFlexHours:    {Text: "A Qflexibel contract gives a number of hours, no holiday days."},
	RefuseContractNoWeekday:    {Text: "The product {{.Product}} needs at least one weekday."},
	RefuseContractDaysNoCredit: {Text: "The product {{.Product}} gives care on weekdays, not credit."},
	RefuseContractWeekdayTwice: {Text: "Each weekday appears once in a contract."},
	RefuseContractOtherPlace:   {Text: "Group {{.Group}} is at another location than {{.Name}}."},
	RefuseContractOverlap:      {Text: "This contract overlaps the contract of {{.Name}} from {{.Date}} ({{.Product}})."},
	RefuseContractNotRunning:   {Text: "The contract does not run on {{.Date}}; a new version starts on a day the contract runs."},
}

// MaxPictureBytes caps a child's picture: a portrait for a list, not a photo album.
const MaxPictureBytes = 2 << 20

// ValidateChild checks a child's own fields on today: a name, a birth date
// that is not in the future, and a planning-system number without spaces
// around it. The store checks location, school and the number's uniqueness.
func ValidateChild(c Child, today Date) error {
	switch {
	case strings.TrimSpace(c.FirstName) == "" || strings.TrimSpace(c.LastName) == "":
		return Refuse(RefuseChildNoName, nil)
	case c.BirthDate.IsZero():
		return Refuse(RefuseChildNoBirthDate, Args{"Name": c.Name()})
	case c.BirthDate.After(today):
		return Refuse(RefuseChildBornLater, Args{"Name": c.Name(), "Date": c.BirthDate})
	case c.Number != strings.TrimSpace(c.Number):
		return Refuse(RefuseChildNumberSpaces, Args{"Number": c.Number})
	}
	for _, p := range c.Contacts {
		if strings.TrimSpace(p.Name) == "" {
			return Refuse(RefuseChildContactNoName, Args{"Name": c.Name()})
		}
	}
	return nil
}

// ValidatePicture accepts PNG or JPEG of at most MaxPictureBytes; it reads
// the image's header, so a file merely named .png is refused.
func ValidatePicture(img []byte) error {
	if len(img) > MaxPictureBytes {
		return Refuse(RefuseChildPictureTooBig, Args{"Size": len(img) >> 10, "Max": MaxPictureBytes >> 10})
	}
	_, format, err := image.DecodeConfig(bytes.NewReader(img))
	if err != nil || (format != "png" && format != "jpeg") {
		return Refuse(RefuseChildPictureFormat, nil)
	}
	return nil
}

// creditOnly reports whether a product gives credit instead of fixed days.
func creditOnly(p Product) bool { return p == ProductBSOHoliday || p == ProductQflexibel }

// ValidateContract checks a contract against the group it is for: a known
// product the group's care type sells (KDV groups: daycare and Qflexibel;
// BSO groups: school weeks, 52 weeks and holiday contracts), an end not
// before the start, and per product what it needs: care products at least
// one weekday, each once and with care ending after it starts; credit
// products no weekdays or times but a positive credit of their own kind.
func ValidateContract(c Contract, g Group) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if g.ID == 0 || c.GroupID != g.ID {
		return Invalid("contract for group %d checked against group %d", c.GroupID, g.ID)
	}
	if CareOf(c.Product) != g.Care {
		return Refuse(RefuseContractCare, Args{"Group": g.Name, "Care": g.Care, "Product": c.Product})
	}
	switch {
	case c.CreditDays < 0 || c.CreditHours < 0:
		return Refuse(RefuseContractNegative, nil)
	case creditOnly(c.Product) && len(c.Days) > 0:
		return Refuse(RefuseContractCreditNoDays, Args{"Product": c.Product})
	case c.Product == ProductBSOHoliday && (c.CreditDays == 0 || c.CreditHours != 0):
		return Refuse(RefuseContractHolidayDays, nil)
	case c.Product == ProductQflexibel && (c.CreditHours == 0 || c.CreditDays != 0):
		return Refuse(RefuseContractFlexHours, nil)
	case !creditOnly(c.Product) && len(c.Days) == 0:
		return Refuse(RefuseContractNoWeekday, Args{"Product": c.Product})
	case !creditOnly(c.Product) && (c.CreditDays != 0 || c.CreditHours != 0):
		return Refuse(RefuseContractDaysNoCredit, Args{"Product": c.Product})
	}
	seen := map[int]bool{}
	for _, d := range c.Days {
		if d.Weekday < 0 || d.Weekday > 6 || seen[int(d.Weekday)] {
			return Refuse(RefuseContractWeekdayTwice, nil)
		}
		seen[int(d.Weekday)] = true
	}
	return nil
}

// ContractsOverlap reports whether two contracts of one child collide: they
// run on a common day and either give care on a common weekday, or give the
// same credit, or one is a holiday contract beside a 52-weeks contract
// (which covers the holidays already). Daycare beside Qflexibel, or school
// weeks beside a holiday contract, do not collide.
func ContractsOverlap(a, b Contract) bool {
	end := b.End
	if end.IsZero() {
		end = MaxDate
	}
	if a.ChildID != b.ChildID || !Overlaps(a, b.Start, end) {
		return false
	}
	if creditOnly(a.Product) && a.Product == b.Product {
		return true
	}
	pair := []Product{a.Product, b.Product}
	if slices.Contains(pair, ProductBSOHoliday) && slices.Contains(pair, ProductBSO52Weeks) {
		return true
	}
	for _, x := range a.Days {
		for _, y := range b.Days {
			if x.Weekday == y.Weekday {
				return true
			}
		}
	}
	return false
}

// CheckContract is the contract rule over the facts a write gathers: the
// contract fits its group (ValidateContract), the group lies at the child's
// location, and no other contract of the child collides with it
// (ContractsOverlap) but the one with ID replacing, which it takes the place
// of (0 for none).
func CheckContract(c Contract, child Child, g Group, others []Contract, replacing ID) error {
	if g.LocationID != child.LocationID {
		return Refuse(RefuseContractOtherPlace, Args{"Group": g.Name, "Name": child.Name()})
	}
	if err := ValidateContract(c, g); err != nil {
		return err
	}
	for _, o := range others {
		if o.ID != replacing && o.ID != c.ID && ContractsOverlap(o, c) {
			return Refuse(RefuseContractOverlap, Args{"Name": child.Name(), "Product": o.Product, "Date": o.Start})
		}
	}
	return nil
}

// ContractMove is one contract of a child moving group: its new version in
// the other group starts on From.
type ContractMove struct {
	Contract Contract
	From     Date
}

// PlanMove is a child moving to group to from a day on (M2), over the
// child's contracts running that day or starting later: each one in another
// group gets a new version in group to, from that day or, for a contract
// still to come, from its own start, so the lists before that day stay.
func PlanMove(child Child, contracts []Contract, to Group, from Date) ([]ContractMove, error) {
	if len(contracts) == 0 {
		return nil, Refuse(RefuseChildNothingToMove, Args{"Name": child.Name(), "Date": from})
	}
	var moves []ContractMove
	for _, c := range contracts {
		if c.GroupID == to.ID {
			continue
		}
		day := from
		if c.Start.After(from) {
			day = c.Start
		}
		moves = append(moves, ContractMove{Contract: c, From: day})
	}
	if len(moves) == 0 {
		return nil, Refuse(RefuseChildInGroupAlready, Args{"Name": child.Name(), "Group": to.Name, "Date": from})
	}
	return moves, nil
}

// PlanEndCare is a child leaving after lastDay (M2), over the child's
// contracts running after that day: those that would only start later are
// removed, the others end on lastDay.
func PlanEndCare(child Child, after []Contract, lastDay Date) (ended, removed []Contract, err error) {
	if len(after) == 0 {
		return nil, nil, Refuse(RefuseChildNothingToEnd, Args{"Name": child.Name(), "Date": lastDay})
	}
	for _, c := range after {
		if c.Start.After(lastDay) {
			removed = append(removed, c)
			continue
		}
		c.End = lastDay
		ended = append(ended, c)
	}
	return ended, removed, nil
}
