// A latch on purpose: q holds its value while en is low.
module latchy(input en, input [3:0] d, output reg [3:0] q);
  always @* begin
    if (en) q = d;
  end
endmodule
