package schedule

import (
	"fmt"
	"math/rand"
	"time"
)

// GenParams describes a family of generated instances (see Generate).
type GenParams struct {
	Start         time.Time // first day (midnight, Europe/Paris)
	Days          int       // consecutive days
	Workshops     int
	Rooms         int
	MinSeats      int // smallest room
	MaxSeats      int // largest room
	Facilitators  int
	Organisations int
	MaxPerDay     int
	// Presence is the probability that a facilitator attends a given day.
	Presence float64
	// TwoFacilitators is the share of workshops needing two facilitators.
	TwoFacilitators float64
	// RoomBusy is the probability that a room is taken by another event
	// during a given slot.
	RoomBusy float64
}

// summitSlots are the four daily slots of the generated summits
// (hour, minute, duration in minutes).
var summitSlots = [4][3]int{{9, 30, 90}, {11, 15, 90}, {14, 30, 90}, {16, 15, 90}}

// SummitParams returns the parameters of GenerateSummit: 3 days of 4 slots
// from 7 December 2016, 300 workshops, 50 rooms of 15 to 200 seats, 250
// facilitators, at most 2 workshops per facilitator and day.
func SummitParams() GenParams {
	return GenParams{
		Start: time.Date(2016, time.December, 7, 0, 0, 0, 0, paris), Days: 3,
		Workshops: 300, Rooms: 50, MinSeats: 15, MaxSeats: 200,
		Facilitators: 250, Organisations: 70, MaxPerDay: 2,
		Presence: 0.3, TwoFacilitators: 0.35, RoomBusy: 0.15,
	}
}

// GenerateSummit returns an instance shaped like the Open Government
// Partnership global summit held in Paris in December 2016. The same seed
// always gives the same instance.
func GenerateSummit(seed int64) *Instance { return Generate(seed, SummitParams()) }

// GenerateSmall returns a one-day instance with the given number of
// workshops and proportionally fewer rooms and facilitators.
func GenerateSmall(seed int64, workshops int) *Instance {
	p := SummitParams()
	p.Days = 1
	p.Workshops = workshops
	p.Rooms = max(2, workshops/2)
	p.Facilitators = max(3, workshops*5/6)
	p.Organisations = max(2, workshops/4)
	return Generate(seed, p)
}

var genTopics = []string{"open data", "transparence", "participation citoyenne", "lutte contre la corruption",
	"climat", "justice ouverte", "numérique", "redevabilité", "budget ouvert", "commande publique",
	"innovation", "collectivités locales", "parlement ouvert", "accès à l'information"}

var genFirst = []string{"Simon", "Claire", "Henri", "Laure", "Mathilde", "Paul", "Amélie", "Karim", "Léa",
	"Nicolas", "Sophie", "Thomas", "Aïcha", "Julien", "Camille", "Romain", "Inès", "Hugo", "Marie", "Yann"}

var genLast = []string{"Chignard", "Martin", "Bernard", "Dubois", "Durand", "Lefebvre", "Moreau", "Laurent",
	"Garcia", "Roux", "Fournier", "Girard", "Bonnet", "Mercier", "Blanc", "Guerin", "Faure", "Andre",
	"Chevalier", "Robin"}

var genRoomSizes = []int{15, 20, 20, 25, 30, 30, 40, 40, 50, 60, 80, 100, 120, 150, 200}

// Generate builds a random instance from p with a deterministic generator
// seeded by seed. Workshops fall in four daily slots; rooms have varied
// sizes and some are busy; facilitators attend some days (whole day or half
// day), belong to organisations carrying commitments and know some topics.
func Generate(seed int64, p GenParams) *Instance {
	rng := rand.New(rand.NewSource(seed))
	inst := &Instance{MaxPerDay: p.MaxPerDay}
	nSlots := p.Days * len(summitSlots)
	slotIv := func(k int) Interval {
		d, s := k/len(summitSlots), summitSlots[k%len(summitSlots)]
		st := time.Date(p.Start.Year(), p.Start.Month(), p.Start.Day()+d, s[0], s[1], 0, 0, paris)
		return Interval{st, st.Add(time.Duration(s[2]) * time.Minute)}
	}
	dayIv := func(d, h0, m0, h1, m1 int) Interval {
		y, mo, dd := p.Start.Date()
		return Interval{time.Date(y, mo, dd+d, h0, m0, 0, 0, paris), time.Date(y, mo, dd+d, h1, m1, 0, 0, paris)}
	}

	// Rooms: the first and last get the extreme sizes.
	for i := 0; i < p.Rooms; i++ {
		c := genRoomSizes[rng.Intn(len(genRoomSizes))]
		if i == 0 {
			c = p.MaxSeats
		} else if i == 1 {
			c = p.MinSeats
		}
		c = min(max(c, p.MinSeats), p.MaxSeats)
		r := Room{ID: fmt.Sprintf("r%d", i+1), Name: fmt.Sprintf("Salle %c%d", 'A'+rune(i%6), i/6+1), Capacity: c}
		for k := 0; k < nSlots; k++ {
			if rng.Float64() < p.RoomBusy {
				r.Busy = append(r.Busy, slotIv(k))
			}
		}
		inst.Rooms = append(inst.Rooms, r)
	}

	// Organisations carry a few commitment numbers each.
	orgCarries := make([][]string, p.Organisations)
	for o := range orgCarries {
		for k := 0; k < 1+rng.Intn(3); k++ {
			orgCarries[o] = append(orgCarries[o], fmt.Sprint(1+rng.Intn(3*p.Organisations/2+1)))
		}
	}
	for i := 0; i < p.Facilitators; i++ {
		o := rng.Intn(p.Organisations)
		f := Facilitator{ID: fmt.Sprintf("p%d", i+1),
			Name:         genFirst[rng.Intn(len(genFirst))] + " " + genLast[rng.Intn(len(genLast))],
			Organisation: fmt.Sprintf("o%d", o+1), Carries: orgCarries[o]}
		for k := 0; k < 1+rng.Intn(2); k++ {
			f.Topics = append(f.Topics, genTopics[rng.Intn(len(genTopics))])
		}
		for d := 0; d < p.Days; d++ {
			if rng.Float64() >= p.Presence {
				continue
			}
			switch x := rng.Float64(); {
			case x < 0.5:
				f.Available = append(f.Available, dayIv(d, 9, 0, 18, 30))
			case x < 0.75:
				f.Available = append(f.Available, dayIv(d, 9, 0, 13, 0))
			default:
				f.Available = append(f.Available, dayIv(d, 14, 0, 18, 30))
			}
			if rng.Float64() < 0.15 { // speaks in a plenary or a side event
				f.Busy = append(f.Busy, slotIv(d*len(summitSlots)+rng.Intn(len(summitSlots))))
			}
		}
		if len(f.Available) == 0 { // everybody comes at least half a day
			f.Available = append(f.Available, dayIv(rng.Intn(p.Days), 14, 0, 18, 30))
		}
		inst.Facilitators = append(inst.Facilitators, f)
	}

	// Workshops: busier mid-day slots, mostly small audiences.
	weights := []float64{0.5, 1.5, 1.5, 0.5}
	total := 0.0
	for k := 0; k < nSlots; k++ {
		total += weights[k%4]
	}
	for i := 0; i < p.Workshops; i++ {
		x, k := rng.Float64()*total, 0
		for ; k < nSlots-1; k++ {
			x -= weights[k%4]
			if x < 0 {
				break
			}
		}
		iv := slotIv(k)
		var capacity int
		switch y := rng.Float64(); {
		case y < 0.45:
			capacity = 15 + 5*rng.Intn(4)
		case y < 0.80:
			capacity = 30 + 10*rng.Intn(4)
		case y < 0.95:
			capacity = 60 + 20*rng.Intn(3)
		default:
			capacity = 100 + 25*rng.Intn(4)
		}
		need := 1
		if rng.Float64() < p.TwoFacilitators {
			need = 2
		}
		w := Workshop{ID: fmt.Sprintf("w%03d", i+1), Start: iv.Start, End: iv.End,
			Capacity: min(capacity, p.MaxSeats), FacilitatorsNeeded: need,
			Topics: []string{genTopics[rng.Intn(len(genTopics))]}}
		for c := 0; c < 1+rng.Intn(2); c++ {
			w.Commitments = append(w.Commitments, fmt.Sprint(1+rng.Intn(3*p.Organisations/2+1)))
		}
		inst.Workshops = append(inst.Workshops, w)
	}
	return inst
}

// MinistereOuvert returns the small "Ministère ouvert" evening: five
// parallel workshops of 20 seats on Tuesday 21 June 2016 from 18:20 to 19:20,
// five rooms and twelve facilitators.
func MinistereOuvert() *Instance {
	at := func(h, m int) time.Time { return time.Date(2016, time.June, 21, h, m, 0, 0, paris) }
	inst := &Instance{MaxPerDay: 2}
	topics := []string{"open data", "participation citoyenne", "transparence", "numérique", "budget ouvert"}
	for i := 0; i < 5; i++ {
		inst.Workshops = append(inst.Workshops, Workshop{ID: fmt.Sprintf("w%d", i+1),
			Start: at(18, 20), End: at(19, 20), Capacity: 20, FacilitatorsNeeded: 1 + i%2,
			Commitments: []string{fmt.Sprint(4 + 4*i)}, Topics: []string{topics[i]}})
		inst.Rooms = append(inst.Rooms, Room{ID: fmt.Sprintf("r%d", i+1),
			Name: fmt.Sprintf("Salle %c", 'A'+rune(i)), Capacity: 20 + 5*i})
	}
	for i := 0; i < 12; i++ {
		f := Facilitator{ID: fmt.Sprintf("p%d", i+1), Name: genFirst[i] + " " + genLast[i],
			Organisation: fmt.Sprintf("o%d", i%4+1), Carries: []string{fmt.Sprint(4 + 4*(i%5))},
			Topics: []string{topics[(i+1)%5]}}
		if i%3 == 0 {
			f.Available = []Interval{{at(18, 0), at(20, 0)}}
		}
		inst.Facilitators = append(inst.Facilitators, f)
	}
	return inst
}
