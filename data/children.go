package data

import (
	"bytes"
	"image"
	_ "image/jpeg" // a child's picture may be JPEG
	_ "image/png"  // or PNG
	"slices"
	"strings"
)

// MaxPictureBytes caps a child's picture: a portrait for a list, not a photo album.
const MaxPictureBytes = 2 << 20

// ValidateChild checks a child's own fields on today: a name, a birth date
// that is not in the future, and a planning-system number without spaces
// around it. The store checks location, school and the number's uniqueness.
func ValidateChild(c Child, today Date) error {
	switch {
	case strings.TrimSpace(c.FirstName) == "" || strings.TrimSpace(c.LastName) == "":
		return Invalid("a child needs a first and a last name")
	case c.BirthDate.IsZero():
		return Invalid("%s needs a birth date", c.Name())
	case c.BirthDate.After(today):
		return Invalid("birth date %s of %s is in the future", c.BirthDate, c.Name())
	case c.Number != strings.TrimSpace(c.Number):
		return Invalid("child number %q has spaces around it", c.Number)
	}
	for _, p := range c.Contacts {
		if strings.TrimSpace(p.Name) == "" {
			return Invalid("every contact of %s needs a name", c.Name())
		}
	}
	return nil
}

// ValidatePicture accepts PNG or JPEG of at most MaxPictureBytes; it reads
// the image's header, so a file merely named .png is refused.
func ValidatePicture(img []byte) error {
	if len(img) > MaxPictureBytes {
		return Invalid("the picture is %d kB; at most %d kB", len(img)>>10, MaxPictureBytes>>10)
	}
	_, format, err := image.DecodeConfig(bytes.NewReader(img))
	if err != nil || (format != "png" && format != "jpeg") {
		return Invalid("the picture is not a PNG or JPEG image")
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
		return Invalid("product %s is not sold in %s group %q", c.Product, g.Care, g.Name)
	}
	switch {
	case c.CreditDays < 0 || c.CreditHours < 0:
		return Invalid("holiday days and flexible hours cannot be negative")
	case creditOnly(c.Product) && len(c.Days) > 0:
		return Invalid("a %s contract gives credit, not weekdays with times", c.Product)
	case c.Product == ProductBSOHoliday && (c.CreditDays == 0 || c.CreditHours != 0):
		return Invalid("a holiday contract gives a number of holiday days, no hours")
	case c.Product == ProductQflexibel && (c.CreditHours == 0 || c.CreditDays != 0):
		return Invalid("a Qflexibel contract gives a number of hours, no holiday days")
	case !creditOnly(c.Product) && len(c.Days) == 0:
		return Invalid("a %s contract needs at least one weekday", c.Product)
	case !creditOnly(c.Product) && (c.CreditDays != 0 || c.CreditHours != 0):
		return Invalid("a %s contract gives care on weekdays, not credit", c.Product)
	}
	seen := map[int]bool{}
	for _, d := range c.Days {
		if d.Weekday < 0 || d.Weekday > 6 || seen[int(d.Weekday)] {
			return Invalid("weekday %d appears twice or does not exist", d.Weekday)
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
