/// The generated family's words, one set per language: headings, dishes and description words for
/// each course, the size labels its menus print, and the lines around the dishes (venue, address,
/// the currency note). No dish here is on the six samples or in the unseen menus' pool (a test
/// checks it), so the family measures the structurer on words it was never shown.
struct FamilyWords: Sendable {
    enum Course: Int, CaseIterable, Sendable { case starters, mains, sides, desserts, drinks }

    var code: String
    /// Headings to choose from, per course.
    var headings: [Course: [String]]
    var dishes: [Course: [String]]
    /// Words a description is made of (`smoked bacon`, `chives`).
    var ingredients: [String]
    /// Two-size and three-size column headers.
    var twoSizes: [[String]]
    var threeSizes: [[String]]
    var venues: [String]
    /// The venue's address and telephone, by the currency its menu prints (a peso menu is in Chile).
    var address: [String: String]
    var footer: String
    /// `(continued)` after a heading repeated at the top of a page or column.
    var continued: String
    /// A line saying the currency, for menus that print no sign.
    var pricesIn: String

    static let all: [FamilyWords] = [english, french, german, spanish, italian, portuguese]

    static let english = FamilyWords(
        code: "en",
        headings: [
            .starters: ["To Begin", "Small Bites", "First Plates", "Light Bites"],
            .mains: ["The Butcher's Block", "Kitchen Favourites", "Hearty Plates", "Main Courses"],
            .sides: ["On the Side", "Extras", "Side Orders"],
            .desserts: ["Pies & Puddings", "Sweet Things", "Afters"],
            .drinks: ["Teas & Coffees", "Soft Drinks", "From the Bar"],
        ],
        dishes: [
            .starters: ["Potted Shrimp", "Scotch Egg", "Smoked Mackerel Pate", "Chicken Liver Parfait", "Beetroot Tartare",
                        "Crispy Squid", "Devilled Kidneys", "Leek and Potato Soup", "Pea and Ham Soup", "Heirloom Tomato Salad",
                        "Asparagus Spears", "Whitebait"],
            .mains: ["Lamb Shank", "Pork Chop", "Rib Eye Steak", "Chicken Kiev", "Bangers and Mash", "Toad in the Hole",
                     "Fish Pie", "Beef and Ale Pie", "Braised Ox Cheek", "Pan-Fried Sea Trout", "Mushroom Wellington",
                     "Venison Burger", "Cod Loin", "Glazed Ham Hock"],
            .sides: ["Cauliflower Cheese", "Buttered Greens", "Hand-Cut Chips", "Minted Peas", "Creamed Spinach",
                     "Roast Parsnips", "Bubble and Squeak", "Tenderstem Broccoli"],
            .desserts: ["Bread and Butter Pudding", "Treacle Tart", "Lemon Posset", "Bakewell Tart", "Rhubarb Fool",
                        "Jam Roly Poly", "Chocolate Fondant", "Blackberry Cobbler", "Peach Melba", "Banoffee Pie"],
            .drinks: ["Elderflower Cordial", "Dandelion and Burdock", "Earl Grey Tea", "Americano", "Cloudy Apple Juice",
                      "Blood Orange Soda", "Rooibos Tea", "Long Black", "Sparkling Water", "Pale Ale"],
        ],
        ingredients: ["smoked bacon", "chives", "watercress", "pickled walnuts", "brown shrimp", "mace butter", "crackling",
                      "bramley apple", "onion gravy", "mustard mash", "garden peas", "tartare sauce", "clotted cream",
                      "toasted oats", "stem ginger", "malt vinegar", "piccalilli", "celeriac", "burnt leeks", "red cabbage",
                      "horseradish cream", "hazelnuts", "golden syrup", "custard"],
        twoSizes: [["Small", "Large"], ["Glass", "Bottle"], ["Half", "Full"]],
        threeSizes: [["Small", "Medium", "Large"], ["125 ml", "250 ml", "Bottle"]],
        venues: ["The Crooked Lantern", "Hawthorn & Hare", "The Old Ferry House", "Millbrook Kitchen"],
        address: ["EUR": "14 Quay Street, Galway · Tel 091 555 018", "GBP": "3 Market Row, Bath · 01225 555 914",
                  "USD": "218 Elm Street, Portland, OR 97204 · (503) 555-0148"],
        footer: "Please tell us about any allergies · Service not included",
        continued: "(continued)",
        pricesIn: "All prices in euro")

    static let french = FamilyWords(
        code: "fr",
        headings: [
            .starters: ["Entrées", "Pour commencer", "Les entrées froides"],
            .mains: ["Plats", "Nos viandes", "Côté mer", "Les classiques"],
            .sides: ["Accompagnements", "Garnitures"],
            .desserts: ["Douceurs", "Nos desserts maison", "Fromages et desserts"],
            .drinks: ["Boissons fraîches", "Boissons chaudes", "Apéritifs"],
        ],
        dishes: [
            .starters: ["Velouté de potimarron", "Œuf cocotte", "Terrine de campagne", "Rillettes de porc", "Escargots de Bourgogne",
                        "Salade lyonnaise", "Poireaux vinaigrette", "Soupe de poissons", "Tartare de saumon", "Gougères"],
            .mains: ["Blanquette de veau", "Bœuf bourguignon", "Navarin d'agneau", "Magret de canard", "Sole meunière",
                     "Pot-au-feu", "Hachis parmentier", "Filet de bar", "Quenelle de brochet", "Choucroute garnie",
                     "Andouillette grillée", "Poulet rôti fermier"],
            .sides: ["Gratin dauphinois", "Pommes sautées", "Haricots verts", "Purée maison", "Salade verte", "Frites fraîches"],
            .desserts: ["Île flottante", "Mousse au chocolat", "Tarte au citron", "Paris-Brest", "Clafoutis aux cerises",
                        "Riz au lait", "Baba au rhum", "Far breton", "Moelleux aux noisettes"],
            .drinks: ["Diabolo menthe", "Citron pressé", "Kir", "Pastis", "Café crème", "Chocolat viennois", "Jus de raisin",
                      "Eau pétillante", "Cidre bouché", "Infusion verveine"],
        ],
        ingredients: ["beurre noisette", "échalotes", "crème fraîche", "lardons", "persillade", "champignons de Paris",
                      "petits oignons", "carottes fondantes", "sauce vierge", "pommes grenaille", "jus corsé", "estragon",
                      "vinaigrette moutarde", "croûtons", "gruyère", "câpres", "fleur de sel", "poivre de Sichuan",
                      "crème anglaise", "caramel au beurre salé", "amandes grillées"],
        twoSizes: [["Petit", "Grand"], ["Verre", "Bouteille"], ["25 cl", "50 cl"]],
        threeSizes: [["12 cl", "50 cl", "75 cl"], ["Verre", "Pichet", "Bouteille"]],
        venues: ["Chez Margot", "Le Petit Zinc", "Bistrot des Halles", "La Table d'Anaïs"],
        address: ["EUR": "12 rue des Tanneurs, 69001 Lyon · 04 78 55 01 92"],
        footer: "Prix nets, service compris · Carte 2025",
        continued: "(suite)",
        pricesIn: "Prix en euros")

    static let german = FamilyWords(
        code: "de",
        headings: [
            .starters: ["Vorspeisen", "Suppen", "Für den kleinen Hunger"],
            .mains: ["Hauptgerichte", "Aus der Pfanne", "Vom Grill", "Schmankerl"],
            .sides: ["Beilagen", "Dazu"],
            .desserts: ["Nachspeisen", "Süßes", "Aus der Backstube"],
            .drinks: ["Alkoholfreie Getränke", "Warme Getränke", "Biere vom Fass"],
        ],
        dishes: [
            .starters: ["Leberknödelsuppe", "Flädlesuppe", "Kartoffelsuppe", "Obatzda", "Wurstsalat", "Brezel mit Butter",
                        "Matjesfilet", "Ochsenschwanzsuppe", "Gebackener Camembert", "Hausgemachte Sülze"],
            .mains: ["Rinderroulade", "Sauerbraten", "Jägerschnitzel", "Schweinshaxe", "Königsberger Klopse", "Käsespätzle",
                     "Maultaschen", "Zwiebelrostbraten", "Forelle Müllerin", "Leberkäse", "Currywurst", "Labskaus",
                     "Grünkohl mit Pinkel"],
            .sides: ["Bratkartoffeln", "Semmelknödel", "Rotkohl", "Gurkensalat", "Kroketten", "Butterspätzle"],
            .desserts: ["Rote Grütze", "Bienenstich", "Dampfnudeln", "Germknödel", "Zwetschgendatschi", "Herrencreme",
                        "Quarkkeulchen", "Windbeutel"],
            .drinks: ["Apfelschorle", "Spezi", "Radler", "Weißbier", "Kräutertee", "Milchkaffee", "Holunderschorle",
                      "Kellerbier", "Johannisbeersaft", "Pils"],
        ],
        ingredients: ["Speck", "Zwiebeln", "Schnittlauch", "Preiselbeeren", "Rahmsoße", "Senf", "Gewürzgurke", "Meerrettich",
                      "Petersilienkartoffeln", "Bratensoße", "Röstzwiebeln", "Kümmel", "Sauerkraut", "Champignons",
                      "Vanillesoße", "Sahne", "Zimt", "Pflaumenmus", "Mohn", "Walnüsse"],
        twoSizes: [["Klein", "Groß"], ["0,3 l", "0,5 l"], ["Glas", "Flasche"]],
        threeSizes: [["0,2 l", "0,4 l", "1,0 l"], ["Klein", "Mittel", "Groß"]],
        venues: ["Gasthaus zur Linde", "Wirtshaus am Anger", "Brauhaus Kronenhof", "Landgasthof Seeblick"],
        address: ["EUR": "Lindenstraße 4, 79098 Freiburg · Tel. 0761 555 2031"],
        footer: "Alle Preise inkl. MwSt. · Allergeninformationen auf Anfrage",
        continued: "(Fortsetzung)",
        pricesIn: "Preise in Euro")

    static let spanish = FamilyWords(
        code: "es",
        headings: [
            .starters: ["Entrantes", "Tapas frías", "Para compartir"],
            .mains: ["Carnes", "Pescados", "Arroces", "Platos de la casa"],
            .sides: ["Guarniciones", "Acompañamientos"],
            .desserts: ["Postres", "Dulces caseros"],
            .drinks: ["Bebidas", "Refrescos", "Cafés e infusiones"],
        ],
        dishes: [
            .starters: ["Salmorejo", "Pulpo a la gallega", "Pimientos de Padrón", "Jamón ibérico", "Boquerones en vinagre",
                        "Calamares a la romana", "Albóndigas en salsa", "Huevos rotos", "Pebre con marraqueta", "Sopa de mariscos"],
            .mains: ["Fabada asturiana", "Cochinillo asado", "Rabo de toro", "Arroz negro", "Fideuà", "Merluza en salsa verde",
                     "Bacalao al pil pil", "Pastel de choclo", "Cazuela de vacuno", "Porotos granados", "Lomo a lo pobre",
                     "Pollo al ajillo"],
            .sides: ["Pisto manchego", "Patatas a lo pobre", "Ensalada chilena", "Papas fritas caseras", "Arroz blanco",
                     "Verduras a la plancha"],
            .desserts: ["Crema catalana", "Tarta de Santiago", "Arroz con leche", "Leche frita", "Natillas", "Flan de huevo",
                        "Torrijas", "Sopaipillas", "Mote con huesillo"],
            .drinks: ["Horchata", "Tinto de verano", "Café con leche", "Zumo de naranja", "Agua con gas", "Mosto",
                      "Cortado", "Limonada menta jengibre", "Vino de la casa", "Caña"],
        ],
        ingredients: ["pimentón", "alioli", "aceite de oliva", "ajo", "perejil", "cebolla caramelizada", "pimiento asado",
                      "tomate rallado", "queso manchego", "chorizo", "huevo frito", "azafrán", "limón", "canela",
                      "dulce de leche", "almendras", "cilantro", "ají verde", "papas nativas", "palta"],
        twoSizes: [["Copa", "Botella"], ["Media", "Entera"], ["Chico", "Grande"]],
        threeSizes: [["Chico", "Mediano", "Grande"], ["Copa", "Jarra", "Botella"]],
        venues: ["Casa Lucía", "Mesón El Olivo", "Taberna La Esquina", "Picada Don Tito"],
        address: ["EUR": "Calle Mayor 18, 28013 Madrid · Tel. 915 550 182", "CLP": "Av. Providencia 1450, Santiago · +56 2 2555 0190"],
        footer: "IVA incluido · Consulte alérgenos al personal",
        continued: "(continuación)",
        pricesIn: "Precios en euros")

    static let italian = FamilyWords(
        code: "it",
        headings: [
            .starters: ["Stuzzichini", "Per cominciare", "Sfizi"],
            .mains: ["Paste fresche", "Carni", "Dal mare", "Piatti della tradizione"],
            .sides: ["Contorni", "Verdure"],
            .desserts: ["Dessert della casa", "Dolcezze"],
            .drinks: ["Bevande", "Caffetteria", "Birre"],
        ],
        dishes: [
            .starters: ["Vitello tonnato", "Arancini siciliani", "Fritto misto", "Insalata di farro", "Burrata pugliese",
                        "Polpette al sugo", "Supplì al telefono", "Crostini toscani", "Acciughe al verde", "Frittata di zucchine"],
            .mains: ["Tagliatelle al ragù", "Pappardelle al cinghiale", "Orecchiette alle cime di rapa", "Bucatini all'amatriciana",
                     "Cacio e pepe", "Trofie al pesto", "Ossobuco alla milanese", "Pollo alla cacciatora",
                     "Parmigiana di melanzane", "Involtini di pesce spada", "Baccalà alla vicentina", "Pizzoccheri"],
            .sides: ["Patate al forno", "Cicoria ripassata", "Fagioli all'uccelletto", "Insalata mista", "Funghi trifolati",
                     "Peperonata"],
            .desserts: ["Cannoli siciliani", "Zabaione", "Torta caprese", "Affogato al caffè", "Semifreddo al torroncino",
                        "Bomboloni", "Crostata di visciole", "Cassata"],
            .drinks: ["Acqua frizzante", "Chinotto", "Aranciata", "Spritz", "Caffè corretto", "Marocchino", "Ginseng",
                      "Birra artigianale", "Succo di pesca", "Vino sfuso"],
        ],
        ingredients: ["pomodorini", "basilico", "pecorino", "guanciale", "olio extravergine", "pinoli", "ricotta",
                      "capperi di Pantelleria", "finocchietto", "pangrattato", "salvia", "scorza di limone", "nduja",
                      "pistacchio di Bronte", "mascarpone", "cioccolato fondente", "mandorle", "aceto balsamico"],
        twoSizes: [["Calice", "Bottiglia"], ["Piccola", "Grande"], ["Media", "Grande"]],
        threeSizes: [["Piccola", "Media", "Grande"], ["Calice", "Caraffa", "Bottiglia"]],
        venues: ["Osteria da Gino", "Trattoria Il Glicine", "Locanda del Ponte", "Enoteca Sottovoce"],
        address: ["EUR": "Via dei Mille 22, 40121 Bologna · Tel. 051 555 0193"],
        footer: "Coperto 2,00 · Chiedere al personale per gli allergeni",
        continued: "(segue)",
        pricesIn: "Prezzi in euro")

    static let portuguese = FamilyWords(
        code: "pt",
        headings: [
            .starters: ["Entradas", "Petiscos", "Para partilhar"],
            .mains: ["Pratos principais", "Grelhados", "Peixes", "Pratos do dia"],
            .sides: ["Acompanhamentos", "Guarnições"],
            .desserts: ["Sobremesas", "Doces da casa"],
            .drinks: ["Bebidas", "Sucos naturais", "Cafetaria"],
        ],
        dishes: [
            .starters: ["Caldo verde", "Bolinhos de bacalhau", "Pão de queijo", "Coxinha", "Pastéis de feira", "Amêijoas à Bulhão Pato",
                        "Chouriço assado", "Salada de polvo", "Croquetes de alheira", "Mandioca frita"],
            .mains: ["Moqueca de peixe", "Picanha na chapa", "Frango à passarinho", "Arroz de pato", "Polvo à lagareiro",
                     "Francesinha", "Bifana", "Prego no pão", "Escondidinho", "Baião de dois", "Bitoque", "Caldeirada"],
            .sides: ["Farofa", "Feijão tropeiro", "Batata frita", "Arroz branco", "Couve refogada", "Vinagrete"],
            .desserts: ["Arroz doce", "Brigadeiro", "Quindim", "Pudim de leite", "Açaí na tigela", "Bolo de rolo",
                        "Toucinho do céu", "Romeu e Julieta"],
            .drinks: ["Caipirinha", "Guaraná", "Caldo de cana", "Água de coco", "Suco de maracujá", "Galão",
                      "Chopp", "Vinho verde", "Limonada suíça", "Café coado"],
        ],
        ingredients: ["alho", "coentros", "azeite", "cebola", "pimentos", "leite de coco", "dendê", "queijo coalho",
                      "batata doce", "limão", "couve", "ovo estrelado", "canela", "goiabada", "doce de leite",
                      "castanha de caju", "paio", "louro"],
        twoSizes: [["Copo", "Garrafa"], ["Pequeno", "Grande"], ["Meia", "Inteira"]],
        threeSizes: [["Pequeno", "Médio", "Grande"], ["300 ml", "500 ml", "1 l"]],
        venues: ["Tasca do Zé", "Boteco da Esquina", "Casa Amélia", "Restaurante Mar Azul"],
        address: ["EUR": "Rua Augusta 112, 1100-053 Lisboa · Tel. 21 555 0147", "BRL": "Rua Harmonia 320, São Paulo · (11) 5555-0133"],
        footer: "IVA incluído · Informe-nos sobre alergias",
        continued: "(continuação)",
        pricesIn: "Preços em euros")
}
