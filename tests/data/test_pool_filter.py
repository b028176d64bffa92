"""The pool keeps none of the held-out texts: copies, near-copies and pieces (``domainkit.data.pool_filter``)."""

from domainkit.data.pool_filter import drop_near_held_out

LICENCE = ("Permission is hereby granted free of charge to any person obtaining a copy of this software "
           "to deal in the software without restriction including the rights to use copy modify merge publish")


def test_pieces_and_near_copies_of_held_out_texts_leave_the_pool():
    held_out = [LICENCE, "Typhoid fever, unspecified"]
    pool = [
        "to any person obtaining a copy of this software to deal in the software",  # a passage of it
        "PERMISSION is hereby granted, free of charge, to any person obtaining a copy of this software!",  # case, punctuation
        "Typhoid fever",  # the header of a held-out code
        "Whooping cough due to Bordetella pertussis",  # unrelated
        "Licensed under the Apache License, Version 2.0; you may not use this file except in compliance",
    ]
    kept, dropped = drop_near_held_out(pool, held_out)
    assert kept == pool[3:] and dropped == 3


def test_a_pool_sharing_a_few_words_with_the_held_out_texts_stays():
    kept, dropped = drop_near_held_out(["the software is provided as is without warranty of any kind"], [LICENCE])
    assert dropped == 0 and len(kept) == 1
    assert drop_near_held_out([], [LICENCE]) == ([], 0)
    assert drop_near_held_out(["a"], []) == (["a"], 0)
