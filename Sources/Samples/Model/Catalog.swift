/// Fixed word lists the generator draws names and menus from. Nothing here is real data.
enum Catalog {
    struct Dish {
        var category: String
        var name: String
        var description: String
        /// Minor units: cents for USD, KES cents (whole shillings x 100) for KES.
        var priceCents: Int64
        var sizes: [(String, Int64)] = []
        var tags: [String] = []
    }

    static let stripeVenueNames = [
        "Corner Bistro", "Harbor Grill", "Blue Door Cafe", "Maple Street Diner", "Little Italy Trattoria",
        "The Green Fork", "Sunset Tacos", "Brick Oven Pizza Co", "Noodle House", "Olive & Thyme",
    ]
    static let mpesaVenueNames = [
        "Mama Njeri Kitchen", "Nyama Choma Corner", "Kilimani Cafe", "Java Junction Westlands", "Swahili Plate",
        "Karibu Grill", "Mombasa Road Eatery", "Ugali & Co", "Lake Basin Fish House", "Tamu Tamu Bakery",
    ]
    static let stripeLocations = ["Boston, MA", "Austin, TX", "Portland, OR", "Chicago, IL", "Denver, CO"]
    static let mpesaLocations = ["Nairobi, Kilimani", "Nairobi, Westlands", "Mombasa, Nyali", "Kisumu, Milimani", "Nakuru, Section 58"]

    static let stripeMenu: [Dish] = [
        Dish(category: "Starters", name: "Garlic Bread", description: "Toasted baguette, garlic butter", priceCents: 550, tags: ["vegetarian"]),
        Dish(category: "Starters", name: "Chicken Wings", description: "Six wings, hot sauce, blue cheese dip", priceCents: 1050, tags: ["spicy"]),
        Dish(category: "Mains", name: "Margherita Pizza", description: "Tomato, mozzarella, basil", priceCents: 1400, sizes: [("Regular", 0), ("Large", 600)], tags: ["vegetarian"]),
        Dish(category: "Mains", name: "Classic Burger", description: "Beef patty, cheddar, pickles, fries", priceCents: 1650),
        Dish(category: "Mains", name: "Fish Tacos", description: "Three tacos, slaw, lime crema", priceCents: 1550),
        Dish(category: "Mains", name: "Mushroom Risotto", description: "Arborio rice, parmesan, thyme", priceCents: 1800, tags: ["vegetarian", "gluten_free"]),
        Dish(category: "Salads", name: "Caesar Salad", description: "Romaine, croutons, parmesan", priceCents: 1150),
        Dish(category: "Desserts", name: "Chocolate Brownie", description: "With vanilla ice cream", priceCents: 750, tags: ["contains_nuts"]),
        Dish(category: "Drinks", name: "Lemonade", description: "Fresh squeezed", priceCents: 400, sizes: [("Glass", 0), ("Jug", 900)], tags: ["vegan"]),
        Dish(category: "Drinks", name: "Iced Coffee", description: "Cold brew over ice", priceCents: 475, tags: ["vegan"]),
    ]

    static let mpesaMenu: [Dish] = [
        Dish(category: "Breakfast", name: "Chai na Mandazi", description: "Spiced tea, two mandazi", priceCents: 15_000, tags: ["vegetarian"]),
        Dish(category: "Mains", name: "Nyama Choma", description: "Grilled goat, kachumbari", priceCents: 95_000, sizes: [("Half kilo", 0), ("One kilo", 85_000)], tags: ["gluten_free"]),
        Dish(category: "Mains", name: "Ugali na Sukuma", description: "Maize meal, braised greens", priceCents: 25_000, tags: ["vegan"]),
        Dish(category: "Mains", name: "Pilau", description: "Spiced rice, beef", priceCents: 45_000, tags: ["spicy"]),
        Dish(category: "Mains", name: "Chicken Biryani", description: "Mombasa style", priceCents: 60_000, tags: ["halal", "spicy"]),
        Dish(category: "Mains", name: "Tilapia Fry", description: "Whole fish, ugali, greens", priceCents: 85_000, tags: ["gluten_free"]),
        Dish(category: "Snacks", name: "Samosa", description: "Beef or vegetable, two pieces", priceCents: 12_000),
        Dish(category: "Snacks", name: "Chips Masala", description: "Fries tossed in masala sauce", priceCents: 30_000, tags: ["vegetarian", "spicy"]),
        Dish(category: "Drinks", name: "Dawa", description: "Honey, lime, ginger", priceCents: 35_000, tags: ["vegan"]),
        Dish(category: "Drinks", name: "Passion Juice", description: "Fresh passion fruit", priceCents: 18_000, sizes: [("Glass", 0), ("Jug", 32_000)], tags: ["vegan"]),
    ]

    static let westernFirstNames = ["James", "Mary", "Robert", "Linda", "Michael", "Susan", "David", "Karen", "Daniel", "Emily", "Chris", "Laura", "Kevin", "Sara", "Brian", "Nicole"]
    static let westernLastNames = ["Smith", "Johnson", "Brown", "Garcia", "Miller", "Davis", "Wilson", "Moore", "Taylor", "Clark", "Lewis", "Walker", "Hall", "Young"]
    static let kenyanFirstNames = ["Jane", "Wanjiru", "Achieng", "Kamau", "Otieno", "Njeri", "Mwangi", "Akinyi", "Kiprop", "Chebet", "Mutua", "Wambui", "Omondi", "Atieno", "Kariuki", "Nyambura"]
    static let kenyanLastNames = ["Doe", "Kamau", "Ochieng", "Wanjiku", "Mwangi", "Otieno", "Kiptoo", "Njoroge", "Odhiambo", "Mutua", "Kimani", "Chege", "Wafula", "Karanja"]

    static let staff = ["Grace", "Peter", "Aisha", "Tom", "Faith", "Sam"]
    static let rejectReasons = ["Out of stock", "Kitchen closing", "Too busy right now", "Delivery area not covered"]
    static let modifications = ["no onions", "extra cheese", "less spicy", "no ice", "sauce on the side"]
    static let invoiceDescriptions = ["Catering deposit", "Office lunch order", "Birthday cake", "Event booking deposit", "Weekly staff meals", "Outside catering balance"]
}
