"""Every place the scorer reaches into Faust's or aiokafka's internals, each with the behaviour it
works around and how to check that it is still needed."""
