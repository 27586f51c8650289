package org.flashsale.inventory.shopper;

import java.security.SecureRandom;
import java.util.List;

/** Display handles for shoppers ("Swift Otter 42"): what an activity feed may show instead of an id. */
final class Handles {

    private static final List<String> ADJECTIVES = List.of("Swift", "Bold", "Lucky", "Quiet", "Brave", "Clever",
            "Sunny", "Mellow", "Rapid", "Cosmic", "Golden", "Silver", "Nimble", "Jolly", "Witty", "Calm");
    private static final List<String> ANIMALS = List.of("Otter", "Falcon", "Panda", "Lynx", "Heron", "Koala", "Fox",
            "Badger", "Orca", "Gecko", "Puffin", "Bison", "Marten", "Ibis", "Yak", "Wren");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Handles() {
    }

    static String random() {
        return ADJECTIVES.get(RANDOM.nextInt(ADJECTIVES.size())) + " " + ANIMALS.get(RANDOM.nextInt(ANIMALS.size()))
                + " " + (10 + RANDOM.nextInt(90));
    }
}
