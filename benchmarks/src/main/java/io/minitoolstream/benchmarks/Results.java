package io.minitoolstream.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Everything one run of the harness measured, written as JSON, Markdown and charts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
final class Results {

    public String date;
    public String host;
    public String mode;
    public String command;
    public String started;
    public String finished;
    public String loadavgStart;
    public String loadavgEnd;
    public Map<String, Object> machine = new LinkedHashMap<>();
    public Map<String, String> versions = new LinkedHashMap<>();
    public Map<String, Object> settings = new LinkedHashMap<>();
    public List<Row> rows = new ArrayList<>();
    public List<String> notes = new ArrayList<>();
    public Map<String, String> charts = new LinkedHashMap<>();
}
